package org.medpolicy.app.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outbound client connects only to the addresses it checked. Two listeners share one port on
 * two loopback addresses: 127.0.0.2 plays a public server and 127.0.0.1 the internal one a
 * rebinding name server would point us at. The rule for "public" is, here, "is 127.0.0.2".
 */
class OutboundHttpTest {

    private static final InetAddress PUBLIC = address("127.0.0.2");
    private static final InetAddress INTERNAL = address("127.0.0.1");

    private final List<HttpServer> servers = new ArrayList<>();
    private final AtomicInteger publicHits = new AtomicInteger();
    private final AtomicInteger internalHits = new AtomicInteger();
    private int port;

    @BeforeEach
    void listen() throws IOException {
        for (int attempt = 0; ; attempt++) {
            HttpServer outside = listener(new InetSocketAddress(PUBLIC, 0), publicHits, "outside");
            port = outside.getAddress().getPort();
            try {
                listener(new InetSocketAddress(INTERNAL, port), internalHits, "internal secrets");
                return;
            } catch (IOException portTaken) {
                outside.stop(0);
                servers.remove(outside);
                if (attempt == 5) {
                    throw portTaken;
                }
            }
        }
    }

    @AfterEach
    void stop() {
        servers.forEach(server -> server.stop(0));
    }

    @Test
    void aNameThatRebindsToAnInternalAddressIsNeverConnectedToIt() throws IOException {
        AtomicInteger lookups = new AtomicInteger();
        // The first answer is public; every later one points at the internal listener.
        OutboundHttp.Lookup rebinding = host -> new InetAddress[] {lookups.getAndIncrement() == 0 ? PUBLIC : INTERNAL};
        try (OutboundHttp http = new OutboundHttp(rebinding, PUBLIC::equals)) {
            URI url = URI.create("http://rebinding.example:" + port + "/data");
            OutboundHttp.Response first = http.get(url, Map.of(), Duration.ofSeconds(5), 1024, OutboundHttp.Reach.PUBLIC_ONLY);
            assertThat(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo("outside");
            for (int i = 0; i < 5; i++) {
                try {
                    OutboundHttp.Response again = http.get(url, Map.of("Connection", "close"), Duration.ofSeconds(5), 1024,
                            OutboundHttp.Reach.PUBLIC_ONLY);
                    assertThat(new String(again.body(), StandardCharsets.UTF_8)).isEqualTo("outside");
                } catch (OutboundHttp.Refused refused) {
                    assertThat(refused).hasMessageContaining("127.0.0.1");
                }
            }
        }
        assertThat(publicHits.get()).isGreaterThanOrEqualTo(1);
        assertThat(internalHits.get()).as("calls that reached the internal listener").isZero();
    }

    @Test
    void aNameWithAnyRefusedAddressIsRefusedWhole() {
        OutboundHttp.Lookup mixed = host -> new InetAddress[] {PUBLIC, INTERNAL};
        try (OutboundHttp http = new OutboundHttp(mixed, PUBLIC::equals)) {
            assertThatThrownBy(() -> http.get(URI.create("http://mixed.example:" + port + "/"), Map.of(), Duration.ofSeconds(5), 1024,
                    OutboundHttp.Reach.PUBLIC_ONLY)).isInstanceOf(OutboundHttp.Refused.class).hasMessageContaining("127.0.0.1");
        }
        assertThat(publicHits.get() + internalHits.get()).isZero();
    }

    @Test
    void theProductionRuleRefusesLoopbackByItsRegistryBlockAndAnyReachesIt() throws IOException {
        try (OutboundHttp http = new OutboundHttp()) {
            URI url = URI.create("http://127.0.0.1:" + port + "/");
            assertThatThrownBy(() -> http.get(url, Map.of(), Duration.ofSeconds(5), 1024, OutboundHttp.Reach.PUBLIC_ONLY))
                    .isInstanceOf(OutboundHttp.Refused.class).hasMessageContaining("127.0.0.0/8 (loopback)");
            assertThat(internalHits.get()).isZero();
            assertThat(http.get(url, Map.of(), Duration.ofSeconds(5), 1024, OutboundHttp.Reach.ANY).status()).isEqualTo(200);
            assertThat(internalHits.get()).isEqualTo(1);
        }
    }

    @Test
    void anAnswerLargerThanTheCapIsAFailureAndRedirectsAreNotFollowed() throws IOException {
        HttpServer big = listener(new InetSocketAddress(INTERNAL, 0), new AtomicInteger(), "x".repeat(10_000));
        big.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + port + "/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        try (OutboundHttp http = new OutboundHttp()) {
            URI url = URI.create("http://127.0.0.1:" + big.getAddress().getPort() + "/");
            assertThatThrownBy(() -> http.get(url, Map.of(), Duration.ofSeconds(5), 1_000, OutboundHttp.Reach.ANY))
                    .isInstanceOf(IOException.class).hasMessageContaining("larger than 1000 bytes");
            assertThat(http.get(url.resolve("/moved"), Map.of(), Duration.ofSeconds(5), 1_000, OutboundHttp.Reach.ANY).status())
                    .isEqualTo(302);
            assertThat(internalHits.get()).as("the redirect's target").isZero();
        }
    }

    private HttpServer listener(InetSocketAddress address, AtomicInteger hits, String answer) throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        byte[] body = answer.getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return server;
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
