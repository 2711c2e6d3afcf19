/** Cooperation between servers: the server list, peer links and replication (seed S3). */
package org.kabar.server.cluster;
