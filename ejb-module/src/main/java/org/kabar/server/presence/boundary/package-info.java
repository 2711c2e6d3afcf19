/** Presence entry points: answering liveness checks. */
package org.kabar.server.presence.boundary;
