/** The seed's User table: one row per registered username, with a salted password hash. */
package org.kabar.server.accounts.entity;
