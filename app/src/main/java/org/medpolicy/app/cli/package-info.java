/**
 * The {@code medpolicy} command line: {@code decide} (one determination, as JSON), {@code policy
 * validate|show}, {@code screen}, {@code serve}, and the operator's commands against the server's
 * database: {@code clients}, {@code token}, {@code assertion}, {@code users} and {@code report}.
 * Commands translate between the terminal and the core; none decides anything itself.
 */
package org.medpolicy.app.cli;
