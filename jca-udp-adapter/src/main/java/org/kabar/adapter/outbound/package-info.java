/**
 * Outbound JCA contract: the managed connection factory and connections through which EJBs send
 * datagrams from the adapter's own UDP socket and frames over its peer links. No transactions: a
 * datagram cannot be rolled back.
 */
package org.kabar.adapter.outbound;
