/** Entry points for peer traffic: the message-driven bean and the frame handler. */
package org.kabar.server.cluster.boundary;
