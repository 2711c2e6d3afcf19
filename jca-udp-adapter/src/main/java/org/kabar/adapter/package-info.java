/**
 * The Kabar resource adapter: it owns the client UDP socket and the peer TCP socket for the life of
 * the deployment, decodes what arrives into protocol records, hands each one to a message-driven
 * bean through a bounded queue, and lets EJBs send replies from the same sockets.
 */
package org.kabar.adapter;
