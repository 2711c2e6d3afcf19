/** Channel entry points: create, invite, join, leave, members, kick. */
package org.kabar.server.channels.boundary;
