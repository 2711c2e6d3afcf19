/** Plain logic of the cluster component, free of container concerns. */
package org.kabar.server.cluster.control;
