/** The seed's Messages table: every message is stored here before it is forwarded. */
package org.kabar.server.messaging.entity;
