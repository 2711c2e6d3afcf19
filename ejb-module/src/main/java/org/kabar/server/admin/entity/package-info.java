/** The ADMINISTRATORS and AUDIT_LOG tables. */
package org.kabar.server.admin.entity;
