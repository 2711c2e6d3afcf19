/**
 * The web console at /admin (Jakarta Faces): sign-in for administrators, the live state of the
 * whole deployment and the operator's actions. Backing beans read through the server's components
 * and act through {@link org.kabar.server.admin.boundary.Console}.
 */
package org.kabar.admin;
