/**
 * Who may call medpolicy and what they may do: registered {@link org.medpolicy.security.Client}s,
 * SMART Backend Services ({@link org.medpolicy.security.TokenEndpoint}, {@link org.medpolicy.security.AccessTokens}),
 * CDS Hooks JWTs from EHRs ({@link org.medpolicy.security.CdsHooksAuthenticator}), {@link org.medpolicy.security.Scopes},
 * per-client {@link org.medpolicy.security.RateLimiter rate limits} and the {@link org.medpolicy.security.AuditTrail}.
 *
 * <p>The repositories ({@link org.medpolicy.security.ClientRegistry}, {@link org.medpolicy.security.ReplayGuard},
 * {@link org.medpolicy.security.AuditTrail}) are interfaces; the store module implements them on the database.
 * Nothing here knows HTTP: the server turns an {@link org.medpolicy.security.AuthenticationException} into 401/403.
 * JOSE work (parsing, signatures, key handling) is Nimbus JOSE+JWT's; this package decides what is acceptable.
 */
package org.medpolicy.security;
