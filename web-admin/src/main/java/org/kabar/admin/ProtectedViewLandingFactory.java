package org.kabar.admin;

import jakarta.faces.context.ExceptionHandler;
import jakarta.faces.context.ExceptionHandlerFactory;

/** Installs {@link ProtectedViewLanding} in front of Faces' own exception handler. */
public class ProtectedViewLandingFactory extends ExceptionHandlerFactory {

  public ProtectedViewLandingFactory(ExceptionHandlerFactory wrapped) {
    super(wrapped);
  }

  @Override
  public ExceptionHandler getExceptionHandler() {
    return new ProtectedViewLanding(getWrapped().getExceptionHandler());
  }
}
