/**
 * The {@code medpolicy} command line: {@code decide} (one determination, as JSON), {@code policy
 * validate|show}, {@code screen}, {@code serve}, and the operator's commands against the server's
 * database: {@code clients}, {@code token}, {@code assertion}, {@code users} and {@code report}.
 * Commands translate between the terminal and the core; none decides anything itself. A command on
 * an embedded database that a running server holds is run by that server, sent over its
 * owner-only socket ({@code CommandSocket}) as the terminal's folder, environment and input
 * ({@code Invocation}).
 */
package org.medpolicy.app.cli;
