/** The seed's ServerList table: the known servers, active or not, nearest first. */
package org.kabar.server.cluster.entity;
