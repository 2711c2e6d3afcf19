/**
 * System tests: real node processes started with server-config/bin/messenger-node (and the EAR on
 * Payara Server), driven over real UDP and TCP sockets, stopped and killed for real.
 */
package org.kabar.systemtest;
