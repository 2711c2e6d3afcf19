/** Channels and their members. */
package org.kabar.server.channels.entity;
