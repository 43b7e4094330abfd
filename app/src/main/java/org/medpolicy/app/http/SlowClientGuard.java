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
 *   <li><b>A request at least every keep-alive period.</b> A connection that has begun no request
 *       for {@code keepAlive} (the idle timeout) while waiting for one is closed, however many bytes
 *       it sends: blank lines before a request line are skipped by Jetty's parser without a limit
 *       and would otherwise reset the idle timeout for ever.</li>
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

    /**
     * An HTTP/1.1 connection being watched: when it was first seen mid-header, for which message,
     * and when it was last seen busy with a request. Only the sweeper thread writes these.
     */
    private static final class Watched {
        volatile long headerSinceNanos = -1;
        volatile long message = -1;
        volatile long messageSinceNanos = System.nanoTime();
    }

    private final Duration headerDeadline;
    private final Duration keepAlive;
    private final int perAddress;
    private final Map<InetAddress, AtomicInteger> byAddress = new ConcurrentHashMap<>();
    // The address each counted connection was opened from: at close, the socket no longer says.
    private final Map<Connection, InetAddress> counted = new ConcurrentHashMap<>();
    private final Map<HttpConnection, Watched> watched = new ConcurrentHashMap<>();
    private final AtomicLong closedSlow = new AtomicLong();
    private final AtomicLong refusedOverLimit = new AtomicLong();
    private ScheduledExecutorService sweeper;

    /**
     * @param keepAlive  how long a connection may wait between requests (the idle timeout)
     * @param perAddress at most this many connections per remote address; 0 for no limit
     */
    SlowClientGuard(Duration headerDeadline, Duration keepAlive, int perAddress) {
        this.headerDeadline = headerDeadline;
        this.keepAlive = keepAlive;
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
            if (address == null) {
                return;
            }
            counted.put(connection, address);
            // Counted inside compute, so it cannot race a close that removes the address's entry.
            AtomicInteger count = byAddress.compute(address, (key, current) -> {
                AtomicInteger next = current == null ? new AtomicInteger() : current;
                next.incrementAndGet();
                return next;
            });
            if (count.get() > perAddress) {
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
        InetAddress address = counted.remove(connection);
        if (address != null) {
            // Removed when it reaches zero, so the map holds only addresses with open connections.
            byAddress.computeIfPresent(address, (key, count) -> count.decrementAndGet() <= 0 ? null : count);
        }
    }

    /** Connections closed for missing the header deadline, and refused for their address's limit, so far. */
    long closedSlow() {
        return closedSlow.get();
    }

    long refusedOverLimit() {
        return refusedOverLimit.get();
    }

    /** Open connections per address being counted, for tests. */
    int countedFrom(InetAddress address) {
        AtomicInteger count = byAddress.get(address);
        return count == null ? 0 : count.get();
    }

    private void sweep() {
        long now = System.nanoTime();
        watched.forEach((connection, state) -> {
            try {
                if (tooSlow(connection, state, now)) {
                    closedSlow.incrementAndGet();
                    watched.remove(connection);
                    connection.getEndPoint().close();
                }
            } catch (RuntimeException e) {
                // One connection's odd state must not cancel the sweep: a thrown exception would stop the schedule.
                watched.remove(connection);
            }
        });
    }

    private boolean tooSlow(HttpConnection connection, Watched state, long now) {
        HttpParser parser = connection.getParser();
        long message = connection.getMessagesIn();
        if (message != state.message) {
            state.message = message;
            state.messageSinceNanos = now;
            state.headerSinceNanos = -1;
        }
        if (parser.isStart()) {
            // Waiting for a request: the keep-alive clock runs from the end of the last one.
            state.headerSinceNanos = -1;
            return now - state.messageSinceNanos >= keepAlive.toNanos();
        }
        state.messageSinceNanos = now;   // busy with a request: the wait for the next one has not begun
        if (!parser.inHeaderState()) {
            state.headerSinceNanos = -1;   // in a body or a response: the body-rate limit and the idle timeout apply
            return false;
        }
        long since = state.headerSinceNanos;
        if (since < 0) {
            state.headerSinceNanos = now;
            return false;
        }
        return now - since >= headerDeadline.toNanos();
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
