/**
 * The HTTP server's plumbing, shared by every channel: the one assembly ({@link
 * org.medpolicy.app.http.Application}), the server ({@link org.medpolicy.app.http.MedpolicyServer}),
 * the route table every channel adds to and the OpenAPI description made from it ({@link
 * org.medpolicy.app.http.RouteTable}, {@link org.medpolicy.app.http.OpenApiDocument}), who may call
 * ({@link org.medpolicy.app.http.Access}, enforced and audited by the {@link
 * org.medpolicy.app.http.Gatekeeper}), body limits, problem documents, listeners and the access log.
 * The channels are the sub-packages: {@code api} (the JSON API), {@code cdshooks} (CRD),
 * {@code fhir} (DTR, PAS, subscriptions and their notifier), {@code cases} (cases and
 * reconsiderations), {@code auth} (tokens, sessions, users), {@code workbench} (the HTML pages).
 * Handlers translate HTTP to the core and back; every determination is committed to the decision
 * log before its response is sent.
 */
package org.medpolicy.app.http;
