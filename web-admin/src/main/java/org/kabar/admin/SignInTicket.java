package org.kabar.admin;

import jakarta.enterprise.context.RequestScoped;

/**
 * The administrator whose password this request has just checked: the identity store then admits
 * that name without hashing the password a second time (and outside the sign-in's throttle).
 */
@RequestScoped
public class SignInTicket {

  private String admitted;

  void admit(String name) {
    admitted = name;
  }

  boolean admits(String name) {
    return admitted != null && admitted.equals(name);
  }
}
