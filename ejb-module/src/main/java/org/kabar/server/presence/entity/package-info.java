/** The seed's Connected table: one row per login, with the client's address and its server. */
package org.kabar.server.presence.entity;
