/**
 * The {@code medpolicy} command line: {@code decide} (one determination, as JSON), {@code policy
 * validate} and {@code policy show}. Commands translate between the terminal and the core; none
 * decides anything itself.
 */
package org.medpolicy.app.cli;
