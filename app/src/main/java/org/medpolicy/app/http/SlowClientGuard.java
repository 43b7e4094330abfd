package org.medpolicy.app.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * Defeats slow-loris clients, which hold connections by sending a request header a byte at a time:
 * every byte resets Jetty's idle timeout, so on their own 2,600 such connections filled the
 * server's 2,000 and every legitimate call timed out.
 * <ul>
 *   <li><b>A header deadline.</b> Once a connection has begun a request (its parser has left the
 *       start state), its request line and headers must be complete within {@code headerDeadline};
 *       otherwise the connection is closed. A sweep every {@link #SWEEP} checks each connection's
 *       HTTP/1.1 parser; a request counts as the same while the connection's message count does
 *       not change, so a busy keep-alive connection is never mistaken for a slow one.</li>
 *   <li><b>Connections per address.</b> A remote address may hold at most {@code perAddress}
 *       connections; one more is closed as soon as it is accepted. Not applied behind a proxy,
 *       where every connection comes from the proxy.</li>
 * </ul>
 * Why sampling rather than a timer per connection: the parser's state is Jetty's and changes on
 * its I/O threads; reading it twice a second from one thread costs nothing and needs no hook into
 * the parser. A sample may be stale by a moment, which only delays a close by one sweep.
 *
 * <p>Added to the connector as a bean, Jetty tells it of every connection opened and closed
 * (both the TLS connection and the HTTP connection over it, for HTTPS). Thread-safe.
 */
final class SlowClientGuard extends AbstractLifeCycle implements Connection.Listener {

    static final Duration SWEEP = Duration.ofMillis(500);

    /** An HTTP/1.1 connection being watched: when it was first seen mid-header, for which message. */
    private static final class Watched {
        final AtomicLong headerSinceNanos = new AtomicLong(-1);
        volatile long message = -1;
    }

    private final Duration headerDeadline;
    private final int perAddress;
    private final Map<InetAddress, AtomicInteger> byAddress = new ConcurrentHashMap<>();
    private final Map<HttpConnection, Watched> watched = new ConcurrentHashMap<>();
    private final AtomicLong closedSlow = new AtomicLong();
    private final AtomicLong refusedOverLimit = new AtomicLong();
    private ScheduledExecutorService sweeper;

    /** @param perAddress at most this many connections per remote address; 0 for no limit */
    SlowClientGuard(Duration headerDeadline, int perAddress) {
        this.headerDeadline = headerDeadline;
        this.perAddress = perAddress;
    }

    @Override
    protected void doStart() {
        sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "medpolicy-slow-client-guard");
            thread.setDaemon(true);
            return thread;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        sweeper.shutdownNow();
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            watched.put(http, new Watched());
        }
        if (perAddress > 0 && isNetwork(connection)) {
            InetAddress address = addressOf(connection.getEndPoint());
            if (address != null && byAddress.computeIfAbsent(address, any -> new AtomicInteger()).incrementAndGet() > perAddress) {
                refusedOverLimit.incrementAndGet();
                connection.getEndPoint().close();
            }
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof HttpConnection http) {
            watched.remove(http);
        }
        if (perAddress > 0 && isNetwork(connection)) {
            InetAddress address = addressOf(connection.getEndPoint());
            if (address != null) {
                // Removed when it reaches zero, so the map holds only addresses with open connections.
                byAddress.computeIfPresent(address, (key, count) -> count.decrementAndGet() <= 0 ? null : count);
            }
        }
    }

    /** Connections closed for missing the header deadline, and refused for their address's limit, so far. */
    long closedSlow() {
        return closedSlow.get();
    }

    long refusedOverLimit() {
        return refusedOverLimit.get();
    }

    private void sweep() {
        long now = System.nanoTime();
        long deadline = headerDeadline.toNanos();
        watched.forEach((connection, state) -> {
            HttpParser parser = connection.getParser();
            boolean midHeader = parser.inHeaderState() && !parser.isStart();
            long message = connection.getMessagesIn();
            if (!midHeader || message != state.message) {
                state.message = message;
                state.headerSinceNanos.set(midHeader ? now : -1);
                return;
            }
            long since = state.headerSinceNanos.get();
            if (since < 0) {
                state.headerSinceNanos.set(now);
            } else if (now - since >= deadline) {
                closedSlow.incrementAndGet();
                watched.remove(connection);
                connection.getEndPoint().close();
            }
        });
    }

    /** The connection on the socket itself: TLS for HTTPS, else the HTTP connection (not the one over TLS). */
    private static boolean isNetwork(Connection connection) {
        return connection instanceof SslConnection || !(connection.getEndPoint() instanceof SslConnection.SslEndPoint);
    }

    private static InetAddress addressOf(EndPoint endPoint) {
        SocketAddress remote = endPoint.getRemoteSocketAddress();
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
