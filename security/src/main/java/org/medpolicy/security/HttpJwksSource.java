package org.medpolicy.security;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fetches a JWKS over HTTP with short timeouts and a size cap, and keeps it for five minutes. It is
 * only ever asked for URLs an administrator registered (see {@link CdsHooksAuthenticator}), so it
 * cannot be steered at arbitrary hosts. Thread-safe.
 */
public final class HttpJwksSource implements JwksSource {

    private static final int MAX_BYTES = 64 * 1024;
    private static final long KEEP_NANOS = Duration.ofMinutes(5).toNanos();

    private record Fetched(JWKSet keys, long at) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final ConcurrentHashMap<URI, Fetched> cache = new ConcurrentHashMap<>();

    @Override
    public JWKSet fetch(URI jku) throws IOException {
        Fetched fetched = cache.get(jku);
        if (fetched != null && System.nanoTime() - fetched.at < KEEP_NANOS) {
            return fetched.keys;
        }
        HttpRequest request = HttpRequest.newBuilder(jku).timeout(Duration.ofSeconds(3)).header("Accept", "application/json").GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("the JWKS at " + jku + " answered " + response.statusCode());
                }
                byte[] bytes = body.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    throw new IOException("the JWKS at " + jku + " is larger than " + MAX_BYTES + " bytes");
                }
                JWKSet keys = JWKSet.parse(new String(bytes, StandardCharsets.UTF_8)).toPublicJWKSet();
                cache.put(jku, new Fetched(keys, System.nanoTime()));
                return keys;
            }
        } catch (ParseException e) {
            throw new IOException("the document at " + jku + " is not a JWKS", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + jku, e);
        }
    }
}
