/**
 * The console's defences around signing in: back-off after failures, per address and per name, and
 * a bound on how many password checks run at once.
 */
package org.kabar.server.admin.control;
