package org.medpolicy.app.http;

import java.time.Clock;
import java.time.Duration;
import org.medpolicy.security.AccessTokens;
import org.medpolicy.security.AuditTrail;
import org.medpolicy.security.CachingClientRegistry;
import org.medpolicy.security.CdsHooksAuthenticator;
import org.medpolicy.security.ClientRegistry;
import org.medpolicy.security.HttpJwksSource;
import org.medpolicy.security.RateLimiter;
import org.medpolicy.security.ReplayGuard;
import org.medpolicy.security.SessionStore;
import org.medpolicy.security.Sessions;
import org.medpolicy.security.SignInFailures;
import org.medpolicy.security.SignInThrottle;
import org.medpolicy.security.SigningKey;
import org.medpolicy.security.TokenEndpoint;
import org.medpolicy.security.UserDirectory;

/**
 * The security parts one server uses, wired once: the registry (cached for {@code registryTtl}), the
 * token issuer and endpoint, the CDS Hooks checker, the rate limiter, the audit trail, and the
 * workbench users with their sessions and the throttle of their sign-ins (counted where
 * {@code signInFailures} keeps them: the database, for a deployment of several servers). Immutable;
 * every part is thread-safe.
 */
public record ServerSecurity(ClientRegistry clients, SigningKey signingKey, AccessTokens tokens, TokenEndpoint tokenEndpoint,
                             CdsHooksAuthenticator cdsHooks, RateLimiter limiter, AuditTrail audit, UserDirectory users,
                             Sessions sessions, SecuritySettings settings, SignInThrottle signIns) {

    /** The token URL for a server at {@code publicUrl}: the {@code aud} of client assertions. */
    public static String tokenUrl(String publicUrl) {
        return publicUrl + "/auth/token";
    }

    public static ServerSecurity create(ClientRegistry registry, ReplayGuard replays, AuditTrail audit, UserDirectory users,
                                        SessionStore sessionStore, SignInFailures signInFailures, SigningKey key, String publicUrl,
                                        Clock clock, Duration registryTtl, SecuritySettings settings) {
        ClientRegistry clients = new CachingClientRegistry(registry, registryTtl);
        AccessTokens tokens = new AccessTokens(key, publicUrl, clients, clock);
        return new ServerSecurity(clients, key, tokens,
                new TokenEndpoint(tokenUrl(publicUrl), registry, replays, tokens, clock, AccessTokens.DEFAULT_LIFETIME),
                new CdsHooksAuthenticator(clients, replays, new HttpJwksSource(), clock),
                new RateLimiter(), audit, users, new Sessions(users, sessionStore, clock), settings,
                SignInThrottle.defaults(clock, signInFailures));
    }
}
