/** Plain logic of accounts: credentials and their stored form, directory settings and passwords. */
package org.kabar.server.accounts.control;
