/**
 * The node itself: the resources it defines (database, socket connection factory), its settings,
 * the embedded database's life cycle, and the readiness check and metrics operators watch.
 */
package org.kabar.server.node;
