/**
 * The wire format of Kabar, decoded once at the edge: client datagrams over UDP ({@code client})
 * and frames between servers over TCP ({@code peer}). Everything past the resource adapter sees
 * only the immutable records defined here; docs/PROTOCOL.md is the human-readable form.
 */
package org.kabar.protocol;
