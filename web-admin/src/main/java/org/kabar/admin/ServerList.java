package org.kabar.admin;

import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.io.Serializable;
import java.util.List;
import org.kabar.server.admin.boundary.Console;
import org.kabar.server.node.NodeSettings;

/** The server list (seed S3.1) and this node's quota (seed S3.5): adding, removing, pinging. */
@Named
@ViewScoped
public class ServerList implements Serializable {

  private static final long serialVersionUID = 1L;

  @EJB Console console;

  @Inject NodeSettings settings;

  @Inject Overview overview;

  /** The list as this page showed it: row actions act on the row the operator saw. */
  private List<Overview.Server> servers;

  @NotNull(message = "enter a host")
  @Pattern(regexp = "[0-9A-Za-z.-]{1,253}", message = "a host name or IPv4 address")
  private String host;

  @NotNull(message = "enter a port")
  @Min(value = 1, message = "1 to 65535")
  @Max(value = 65535, message = "1 to 65535")
  private Integer port = 5000;

  @NotNull(message = "enter a number of users")
  @Min(value = 0, message = "0 or more")
  @Max(value = 10_000_000, message = "at most 10,000,000")
  private Integer quota;

  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public List<Overview.Server> getServers() {
    if (servers == null) {
      servers = overview.getServers();
    }
    return servers;
  }

  public Integer getQuota() {
    return quota == null ? settings.quota() : quota;
  }

  public void setQuota(Integer quota) {
    this.quota = quota;
  }

  public void add() {
    console.addServer(admin(), host, port);
    tell(FacesMessage.SEVERITY_INFO, "added " + host + ":" + port + "; it is checked at once");
    console.ping(admin(), host, port);
  }

  public void remove(String address, int peerPort) {
    boolean removed = console.removeServer(admin(), address, peerPort);
    tell(
        FacesMessage.SEVERITY_INFO,
        removed ? "removed " + address + ":" + peerPort : address + " was not listed");
  }

  public void ping(String address, int peerPort) {
    boolean up = console.ping(admin(), address, peerPort);
    tell(
        up ? FacesMessage.SEVERITY_INFO : FacesMessage.SEVERITY_WARN,
        up
            ? "pinged " + address + ":" + peerPort + "; the round trip updates when it answers"
            : address + ":" + peerPort + " does not take a connection: marked inactive");
  }

  public void changeQuota() {
    console.changeQuota(admin(), quota);
    tell(FacesMessage.SEVERITY_INFO, "the quota of this node is now " + quota + " users");
  }

  private String admin() {
    return FacesContext.getCurrentInstance().getExternalContext().getRemoteUser();
  }

  private void tell(FacesMessage.Severity severity, String text) {
    overview.refresh(); // the table shows the list as the action left it
    servers = null;
    FacesContext faces = FacesContext.getCurrentInstance();
    faces.addMessage(null, new FacesMessage(severity, text, null));
  }
}
