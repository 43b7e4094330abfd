/**
 * Persistence on a relational database: embedded H2 by default, PostgreSQL in production, the
 * schema kept by Flyway migrations. {@link org.medpolicy.store.Database} opens and migrates;
 * {@link org.medpolicy.store.JdbcDeterminationLog} is the decision log, written through one
 * group-committing writer.
 */
package org.medpolicy.store;
