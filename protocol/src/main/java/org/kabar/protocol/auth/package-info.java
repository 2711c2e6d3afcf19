/**
 * The cryptography that client and server share for credentials, so that no password crosses the
 * network in clear: SCRAM-SHA-256 proofs ({@link org.kabar.protocol.auth.Scram}) for accounts whose
 * keys the server holds, and sealed boxes ({@link org.kabar.protocol.auth.SealedBox}) for what the
 * server must read once (a new account's keys, a directory password). Plain Java, JDK crypto only.
 */
package org.kabar.protocol.auth;
