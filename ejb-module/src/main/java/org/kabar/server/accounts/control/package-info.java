/** Plain logic of accounts: password hashing. */
package org.kabar.server.accounts.control;
