/** Channels, the group chat of the seed's introduction: members, invitations, the creator. */
package org.kabar.server.channels;
