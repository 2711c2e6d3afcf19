package org.kabar.admin;

import jakarta.ejb.EJB;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.Instant;
import org.kabar.server.admin.boundary.Administrators;
import org.kabar.server.admin.entity.AuditEntry;

/** The newest administrator actions, newest first, sorted and paged. */
@Named
@ViewScoped
public class AuditLog implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Entries read at most. */
  static final int LIMIT = 1000;

  @EJB Administrators administrators;

  /** One entry as shown. */
  public record Line(Instant at, String who, String what, String node) implements Serializable {}

  private final Table<Line> table =
      new Table<Line>(50)
          .column("at", Line::at)
          .column("who", Line::who)
          .column("node", Line::node)
          .sortedBy("at", false);

  private boolean loaded;

  public Table<Line> getTable() {
    if (!loaded) {
      table.setRows(
          administrators.audit(LIMIT).stream()
              .map((AuditEntry e) -> new Line(e.at(), e.who(), e.what(), e.node()))
              .toList());
      loaded = true;
    }
    return table;
  }

  /** Sorts by a column (again: the other way round). */
  public void sort(String column) {
    getTable().sort(column);
  }
}
