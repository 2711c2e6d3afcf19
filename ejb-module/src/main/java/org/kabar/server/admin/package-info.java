/** The administrators of the web console, its one-time setup and its audit log. */
package org.kabar.server.admin;
