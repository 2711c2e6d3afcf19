package org.kabar.admin;

import jakarta.faces.FacesException;
import jakarta.faces.application.ProtectedViewException;
import jakarta.faces.application.ViewHandler;
import jakarta.faces.context.ExceptionHandler;
import jakarta.faces.context.ExceptionHandlerWrapper;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.faces.event.ExceptionQueuedEvent;
import jakarta.faces.render.ResponseStateManager;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * A protected page opened without the token of the console's own links (a typed or bookmarked URL,
 * or the page first asked for before signing in) is answered with a redirect to the same page with
 * a fresh token, not an error. Nothing is lost by it: the pages act only on form posts, which need
 * the view state of a page this session rendered, and a request with a token that was refused all
 * the same (a foreign referrer) goes to the overview instead.
 */
public class ProtectedViewLanding extends ExceptionHandlerWrapper {

  public ProtectedViewLanding(ExceptionHandler wrapped) {
    super(wrapped);
  }

  @Override
  public void handle() {
    FacesContext faces = FacesContext.getCurrentInstance();
    for (Iterator<ExceptionQueuedEvent> events = getUnhandledExceptionQueuedEvents().iterator();
        events.hasNext(); ) {
      if (protectedView(events.next().getContext().getException())
          && !faces.getExternalContext().isResponseCommitted()) {
        events.remove();
        land(faces);
      }
    }
    getWrapped().handle();
  }

  private static boolean protectedView(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof ProtectedViewException) {
        return true;
      }
    }
    return false;
  }

  private static void land(FacesContext faces) {
    ExternalContext external = faces.getExternalContext();
    ViewHandler views = faces.getApplication().getViewHandler();
    String asked = external.getRequestServletPath();
    boolean tokenRefused =
        external
            .getRequestParameterMap()
            .containsKey(ResponseStateManager.NON_POSTBACK_VIEW_TOKEN_PARAM);
    String view =
        tokenRefused || !views.getProtectedViewsUnmodifiable().contains(asked)
            ? "/index.xhtml"
            : asked;
    try {
      // the action URL of a protected view carries this session's token
      external.redirect(external.encodeRedirectURL(views.getActionURL(faces, view), Map.of()));
    } catch (IOException e) {
      throw new FacesException(e);
    }
    faces.responseComplete();
  }
}
