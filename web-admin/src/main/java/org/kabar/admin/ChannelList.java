package org.kabar.admin;

import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.List;
import org.kabar.server.admin.boundary.Console;
import org.kabar.server.channels.boundary.Channels;
import org.kabar.server.channels.boundary.Channels.ChannelView;
import org.kabar.server.channels.boundary.Channels.Place;

/** The channels of the deployment, who is in one, and deleting one: never their messages. */
@Named
@ViewScoped
public class ChannelList implements Serializable {

  private static final long serialVersionUID = 1L;

  @EJB Channels channels;

  @EJB Console console;

  private final Table<ChannelView> table =
      new Table<ChannelView>(25)
          .column("name", ChannelView::name)
          .column("creator", ChannelView::creator)
          .column("created", ChannelView::createdAt)
          .column("members", ChannelView::members);

  private boolean loaded;

  private String shown;

  private List<Place> places = List.of();

  /** The channels, sorted and paged. */
  public Table<ChannelView> getTable() {
    if (!loaded) {
      table.setRows(channels.all());
      loaded = true;
    }
    return table;
  }

  /** Sorts by a column (again: the other way round). */
  public void sort(String column) {
    getTable().sort(column);
  }

  /** Shows who is in a channel. */
  public void show(String channel) {
    shown = channel;
    places = channels.places(channel);
  }

  public String getShown() {
    return shown;
  }

  public List<Place> getPlaces() {
    return places;
  }

  /** Deletes a channel on every server, after the operator confirmed it. */
  public void delete(String channel) {
    FacesContext faces = FacesContext.getCurrentInstance();
    boolean deleted = console.deleteChannel(faces.getExternalContext().getRemoteUser(), channel);
    faces.addMessage(
        null,
        new FacesMessage(
            deleted ? FacesMessage.SEVERITY_INFO : FacesMessage.SEVERITY_WARN,
            deleted
                ? "deleted " + channel + " on every server"
                : channel + " had nobody left in it",
            null));
    if (channel.equals(shown)) {
      show(channel);
    }
    loaded = false;
  }
}
