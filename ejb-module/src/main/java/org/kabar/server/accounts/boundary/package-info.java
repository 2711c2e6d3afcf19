/** Account entry points: register, verify credentials, unregister. */
package org.kabar.server.accounts.boundary;
