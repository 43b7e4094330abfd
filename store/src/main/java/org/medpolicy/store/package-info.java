/**
 * Persistence on a relational database: embedded H2 by default, PostgreSQL in production, the
 * schema kept by Flyway migrations. {@link org.medpolicy.store.Database} opens and migrates;
 * {@link org.medpolicy.store.JdbcDeterminationLog} is the decision log, written through one
 * group-committing writer. The rest implement the domain's repositories: clients, the replay guard
 * and the access audit (security), cases with their history and notices, users and sessions, PAS
 * submissions and subscriptions (core's {@code cases}).
 */
package org.medpolicy.store;
