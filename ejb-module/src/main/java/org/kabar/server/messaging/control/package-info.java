/** Plain logic of the messaging component, free of container concerns. */
package org.kabar.server.messaging.control;
