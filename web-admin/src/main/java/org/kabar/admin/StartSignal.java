package org.kabar.admin;

import jakarta.ejb.EJB;
import jakarta.servlet.http.HttpServlet;
import org.kabar.server.node.WebModuleStart;

/**
 * Tells the node that its web module has started: initialised after the Faces servlet (web.xml
 * orders it), when every page can be served. It serves no URL.
 */
public class StartSignal extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @EJB transient WebModuleStart start;

  @Override
  public void init() {
    start.started();
  }
}
