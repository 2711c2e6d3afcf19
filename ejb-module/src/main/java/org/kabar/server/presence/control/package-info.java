/** Plain logic of presence: session tokens. */
package org.kabar.server.presence.control;
