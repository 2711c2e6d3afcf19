/** User accounts: registration, credentials and their removal (seed S1.1, S1.7, table User). */
package org.kabar.server.accounts;
