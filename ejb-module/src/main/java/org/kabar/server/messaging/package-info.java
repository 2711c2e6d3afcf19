/** Messages between users: storing, forwarding and offline delivery (seed S1.3-S1.6, S2.3). */
package org.kabar.server.messaging;
