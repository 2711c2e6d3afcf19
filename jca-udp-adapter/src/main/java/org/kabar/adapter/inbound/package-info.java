/**
 * Inbound delivery: the activation specs that bind a message-driven bean to a contract, the bounded
 * queue between a socket reader and the beans, and the invoker that runs one delivery through the
 * endpoint life cycle (create, before, call, after, release).
 */
package org.kabar.adapter.inbound;
