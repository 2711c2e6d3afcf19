/** Administrators, the setup link and the audit log. */
package org.kabar.server.admin.boundary;
