/**
 * The decision log: every determination a channel returns, kept append-only with the request that
 * produced it (member id replaced by a keyed hash), the policy version, policy set and engine
 * version used, the channel and the time, and what a channel sent when that was not the
 * determination itself. {@link org.medpolicy.core.log.DeterminationLog} is the repository; the
 * {@code store} module implements it on a database.
 */
package org.medpolicy.core.log;
