package org.medpolicy.app.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.medpolicy.security.AccessTokens;
import org.medpolicy.security.Client;
import org.medpolicy.security.Scopes;
import org.medpolicy.store.Database;
import org.medpolicy.store.JdbcClientRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code medpolicy token --client ID [--scopes …]}: mints an access token directly, for an operator
 * or a test harness that holds the server's signing key. The same rules as the token endpoint: the
 * client must be an active backend client and may get only scopes it is registered for.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = {"Print an access token for a registered backend client (uses the server's signing key).",
                "Example: TOKEN=$(./medpolicy token --client demo)"})
final class TokenCommand implements Callable<Integer> {

    @Option(names = "--client", required = true, description = "Client id.")
    String clientId;

    @Option(names = "--scopes", description = "Scopes to ask for (default: every scope the client is registered for).")
    String scopes;

    @Option(names = "--lifetime", defaultValue = "PT5M", description = "How long the token lives, ISO-8601 (default: ${DEFAULT-VALUE}; at most PT1H).")
    Duration lifetime;

    @Option(names = "--public-url", description = "The URL the server is reached at: the token's issuer (default: http://localhost:8080).")
    String publicUrl;

    @Mixin
    StoreOptions store;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var err = spec.commandLine().getErr();
        try (Database database = store.open()) {
            JdbcClientRegistry registry = new JdbcClientRegistry(database);
            Client client = registry.find(clientId).orElse(null);
            if (client == null || client.isRevoked() || client.kind() != Client.Kind.BACKEND) {
                err.println("medpolicy token: no active backend client has id '" + clientId + "'");
                return ExitCodes.BAD_INPUT;
            }
            Scopes granted;
            try {
                granted = scopes == null ? client.scopes() : client.scopes().allowed(Scopes.parse(scopes));
            } catch (IllegalArgumentException e) {
                err.println("medpolicy token: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            if (granted.isEmpty()) {
                err.println("medpolicy token: client '" + clientId + "' may have none of: " + scopes);
                return ExitCodes.BAD_INPUT;
            }
            String issuer = publicUrl == null ? "http://localhost:8080" : publicUrl;
            AccessTokens tokens = new AccessTokens(store.signingKey(false), issuer, registry, java.time.Clock.systemUTC());
            try {
                spec.commandLine().getOut().println(tokens.issue(client, granted, lifetime).accessToken());
            } catch (IllegalArgumentException e) {
                err.println("medpolicy token: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            return ExitCodes.OK;
        } catch (java.io.IOException e) {
            err.println("medpolicy token: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
    }
}
