package org.medpolicy.app.outbound;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.medpolicy.security.OutboundAddresses;

/**
 * The HTTP calls medpolicy makes to URLs its callers name: PAS notification endpoints and EHR FHIR
 * servers. Short timeouts, no redirects, a cap on what is read back.
 *
 * <p>Why Jetty's client and a resolver of our own: a check of the host's addresses made before the
 * call is worthless if the client then resolves the name again, because a hostile name server can
 * answer "public" to the check and "127.0.0.1" to the connection (DNS rebinding). The JDK's client
 * on Java 17 resolves on its own; Jetty's asks a {@link SocketAddressResolver} for the addresses it
 * connects to. Ours resolves the name once per connection, refuses the call when any address is
 * refused by the {@link Reach}, and hands Jetty exactly the addresses it checked: the address
 * checked is the address used. TLS still verifies the certificate against the host name (SNI and
 * endpoint identification are by name, not by address). A pooled connection is reused only to the
 * address it was opened to.
 *
 * <p>Thread-safe; one instance serves the whole server. {@link #close()} stops its threads.
 */
public final class OutboundHttp implements AutoCloseable {

    /** Which addresses a call may reach. */
    public enum Reach {
        /** Global unicast only, by the IANA special-purpose registries ({@link OutboundAddresses}): production. */
        PUBLIC_ONLY,
        /** Any address: only for endpoints registered so (a test listener, an EHR on a private network). */
        ANY
    }

    /** What a server answered. */
    public record Response(int status, byte[] body, String contentType) {
    }

    /** The call was not made: its host resolves to an address its reach refuses (or to nothing). */
    public static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    /** How names become addresses; {@link InetAddress#getAllByName} except in tests. */
    @FunctionalInterface
    interface Lookup {
        InetAddress[] addresses(String host) throws UnknownHostException;
    }

    private final HttpClient publicOnly;
    private final HttpClient any;

    public OutboundHttp() {
        this(InetAddress::getAllByName, OutboundAddresses::isGlobalUnicast);
    }

    /** With another name lookup and another rule for {@link Reach#PUBLIC_ONLY} (tests: a "public" loopback address). */
    OutboundHttp(Lookup lookup, Predicate<InetAddress> publicAddress) {
        this.publicOnly = start(new CheckedResolver(lookup, publicAddress), "public");
        this.any = start(new CheckedResolver(lookup, address -> true), "any");
    }

    private static HttpClient start(SocketAddressResolver resolver, String name) {
        QueuedThreadPool threads = new QueuedThreadPool(8, 1);
        threads.setName("medpolicy-outbound-" + name);
        threads.setDaemon(true);
        HttpClient client = new HttpClient();
        client.setExecutor(threads);
        client.setSocketAddressResolver(resolver);
        client.setFollowRedirects(false);
        client.setConnectTimeout(3_000);
        client.setIdleTimeout(30_000);
        client.setMaxConnectionsPerDestination(4);
        client.setUserAgentField(new org.eclipse.jetty.http.HttpField("User-Agent", "medpolicy"));
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("the outbound HTTP client did not start", e);
        }
        return client;
    }

    /** GETs {@code url}; reads at most {@code maxBytes} of the answer (more is a failure). */
    public Response get(URI url, Map<String, String> headers, Duration timeout, int maxBytes, Reach reach) throws IOException {
        return send(client(reach).newRequest(url).method(HttpMethod.GET), headers, timeout, maxBytes);
    }

    /** POSTs {@code body} to {@code url}; reads at most 64 KiB of the answer. */
    public Response post(URI url, Map<String, String> headers, String contentType, byte[] body, Duration timeout, Reach reach)
            throws IOException {
        Request request = client(reach).newRequest(url).method(HttpMethod.POST).body(new BytesRequestContent(contentType, body));
        return send(request, headers, timeout, 64 * 1024);
    }

    private HttpClient client(Reach reach) {
        return reach == Reach.ANY ? any : publicOnly;
    }

    private static Response send(Request request, Map<String, String> headers, Duration timeout, int maxBytes) throws IOException {
        request.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        request.headers(fields -> headers.forEach(fields::put));
        try {
            ContentResponse response = new CompletableResponseListener(request, maxBytes).send()
                    .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            return new Response(response.getStatus(), response.getContent(), response.getMediaType());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            for (Throwable link = cause; link != null; link = link.getCause()) {
                if (link instanceof Refused refused) {
                    throw new Refused(refused.getMessage());
                }
            }
            throw new IOException(cause instanceof IllegalArgumentException
                    ? "the answer of " + request.getURI() + " is larger than " + maxBytes + " bytes"
                    : "calling " + request.getURI() + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            request.abort(e);
            throw new IOException("calling " + request.getURI() + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.abort(e);
            throw new IOException("interrupted while calling " + request.getURI(), e);
        }
    }

    @Override
    public void close() {
        for (HttpClient client : List.of(publicOnly, any)) {
            try {
                client.stop();
            } catch (Exception e) {
                // Stopping is best effort: its threads are daemons.
            }
        }
    }

    /**
     * Resolves a host once, in the calling thread, and answers only addresses the rule allows; when
     * any address of the name is refused, the whole name is (a name that mixes public and internal
     * addresses is not one we call).
     */
    private record CheckedResolver(Lookup lookup, Predicate<InetAddress> allowed) implements SocketAddressResolver {

        @Override
        public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
            InetAddress[] addresses;
            try {
                addresses = lookup.addresses(host);
            } catch (UnknownHostException e) {
                promise.failed(new Refused("the host " + host + " does not resolve"));
                return;
            }
            List<InetSocketAddress> checked = new ArrayList<>();
            for (InetAddress address : addresses) {
                if (!allowed.test(address)) {
                    OutboundAddresses.Block block = OutboundAddresses.refusedBy(address);
                    promise.failed(new Refused("the host " + host + " resolves to " + address.getHostAddress()
                            + (block == null ? ", which is not allowed" : ", in " + block.cidr() + " (" + block.why() + ")")));
                    return;
                }
                checked.add(new InetSocketAddress(address, port));
            }
            if (checked.isEmpty()) {
                promise.failed(new Refused("the host " + host + " resolves to no address"));
                return;
            }
            promise.succeeded(checked);
        }
    }
}
