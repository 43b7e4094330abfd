package org.medpolicy.app.http;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The server's protective limits, with defaults fit for a production deployment:
 * <ul>
 *   <li>{@code failureRate}/{@code failureBurst}: refused credentials per remote address before it gets 429s
 *       (refusing costs a signature check; guessing must not be free);</li>
 *   <li>{@code tokenRate}/{@code tokenBurst}: token requests per remote address;</li>
 *   <li>{@code idleTimeout}: how long a connection may send nothing (read timeout);</li>
 *   <li>{@code minRequestBytesPerSecond}: a body arriving slower than this is cut off (slow-loris bodies);</li>
 *   <li>{@code maxConnections}: open connections at most; past it Jetty stops accepting until some close;</li>
 *   <li>{@code headerDeadline}: how long a connection may take to send a request's line and headers once it
 *       has begun (slow-loris headers, which reset the idle timeout with every byte);</li>
 *   <li>{@code connectionsPerAddress}: open connections from one remote address at most (not applied
 *       {@code behindProxy}, where every connection comes from the proxy);</li>
 *   <li>{@code tlsKeystore}/{@code tlsPassword}: a PKCS#12 keystore to serve HTTPS with, or null for HTTP;</li>
 *   <li>{@code behindProxy}: take the client address and scheme from {@code Forwarded} / {@code X-Forwarded-*}
 *       headers (only behind a reverse proxy that sets them: otherwise a caller could claim any address).</li>
 * </ul>
 * Immutable.
 */
public record SecuritySettings(int failureRate, int failureBurst, int tokenRate, int tokenBurst, Duration idleTimeout,
                               long minRequestBytesPerSecond, int maxConnections, Path tlsKeystore, char[] tlsPassword,
                               boolean behindProxy, Duration headerDeadline, int connectionsPerAddress) {

    public static SecuritySettings defaults() {
        return new SecuritySettings(10, 50, 20, 40, Duration.ofSeconds(30), 1_024, 2_000, null, null, false,
                Duration.ofSeconds(10), 128);
    }

    /** These settings with a header deadline of {@code deadline} and at most {@code perAddress} connections per address. */
    public SecuritySettings withConnectionLimits(Duration deadline, int perAddress) {
        return new SecuritySettings(failureRate, failureBurst, tokenRate, tokenBurst, idleTimeout, minRequestBytesPerSecond,
                maxConnections, tlsKeystore, tlsPassword, behindProxy, deadline, perAddress);
    }

    public SecuritySettings withTls(Path keystore, char[] password) {
        return new SecuritySettings(failureRate, failureBurst, tokenRate, tokenBurst, idleTimeout, minRequestBytesPerSecond,
                maxConnections, keystore, password, behindProxy, headerDeadline, connectionsPerAddress);
    }

    public SecuritySettings withFailureLimit(int rate, int burst) {
        return new SecuritySettings(rate, burst, tokenRate, tokenBurst, idleTimeout, minRequestBytesPerSecond, maxConnections,
                tlsKeystore, tlsPassword, behindProxy, headerDeadline, connectionsPerAddress);
    }

    public SecuritySettings withIdleTimeout(Duration timeout) {
        return new SecuritySettings(failureRate, failureBurst, tokenRate, tokenBurst, timeout, minRequestBytesPerSecond,
                maxConnections, tlsKeystore, tlsPassword, behindProxy, headerDeadline, connectionsPerAddress);
    }

    public SecuritySettings behindProxy(boolean behind) {
        return new SecuritySettings(failureRate, failureBurst, tokenRate, tokenBurst, idleTimeout, minRequestBytesPerSecond,
                maxConnections, tlsKeystore, tlsPassword, behind, headerDeadline, connectionsPerAddress);
    }
}
