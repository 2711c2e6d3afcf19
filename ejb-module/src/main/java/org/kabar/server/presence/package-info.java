/** Who is online where: liveness checks, sessions and the seed's Connected table (S2.6, S3.3). */
package org.kabar.server.presence;
