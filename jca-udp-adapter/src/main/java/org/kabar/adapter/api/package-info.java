/**
 * The adapter's contracts as the application sees them: the two inbound listener interfaces that
 * message-driven beans implement, the records they receive, and the outbound connection factory
 * that EJBs inject to send datagrams and peer frames.
 */
package org.kabar.adapter.api;
