/**
 * The server logic of a Kabar node, organised by business component ({@code accounts}, {@code
 * messaging}, {@code presence}, {@code cluster}, {@code gateway}, {@code node}), each with the
 * boundary, control and entity layers it needs.
 */
package org.kabar.server;
