/**
 * Messaging entry points: the mailbox (store, list, read, delete, acknowledge) and the courier that
 * pushes stored messages to online recipients until they acknowledge them.
 */
package org.kabar.server.messaging.boundary;
