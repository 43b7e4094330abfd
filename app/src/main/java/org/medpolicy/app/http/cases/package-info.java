/**
 * The case API: organization determinations and the member's reconsiderations, each action one
 * route onto the core's rules, their letters, and the one mapping of a refused action to HTTP
 * ({@link org.medpolicy.app.http.cases.CaseRefusals}).
 */
package org.medpolicy.app.http.cases;
