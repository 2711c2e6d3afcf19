package org.kabar.admin;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;
import java.util.List;
import org.kabar.server.admin.boundary.Administrators;
import org.kabar.server.admin.entity.AuditEntry;

/** The newest administrator actions. */
@Named
@RequestScoped
public class AuditLog {

  @EJB Administrators administrators;

  public List<AuditEntry> getEntries() {
    return administrators.audit(200);
  }
}
