package org.medpolicy.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Lookups are remembered for their time to live; changes made through the cache show at once. */
class CachingClientRegistryTest {

    /** A registry in a list, counting how often it is asked. */
    static final class ListRegistry implements ClientRegistry {
        final List<Client> clients = new ArrayList<>();
        int lookups;

        @Override
        public void register(Client client) {
            clients.add(client);
        }

        @Override
        public Optional<Client> find(String clientId) {
            lookups++;
            return clients.stream().filter(c -> c.id().equals(clientId)).findFirst();
        }

        @Override
        public Optional<Client> findByIssuer(String issuer) {
            lookups++;
            return clients.stream().filter(c -> issuer.equals(c.issuer())).findFirst();
        }

        @Override
        public List<Client> list() {
            return List.copyOf(clients);
        }

        @Override
        public boolean change(String clientId, java.util.function.UnaryOperator<Client> change) {
            for (int i = 0; i < clients.size(); i++) {
                if (clients.get(i).id().equals(clientId) && !clients.get(i).isRevoked()) {
                    clients.set(i, change.apply(clients.get(i)));
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean revoke(String clientId, Instant at) {
            for (int i = 0; i < clients.size(); i++) {
                Client c = clients.get(i);
                if (c.id().equals(clientId) && !c.isRevoked()) {
                    clients.set(i, new Client(c.id(), c.kind(), c.issuer(), c.jwks(), c.allowedJku(), c.scopes(), c.ratePerSecond(),
                            c.burst(), c.registeredAt(), at));
                    return true;
                }
            }
            return false;
        }
    }

    @Test
    void remembersForTheTimeToLiveAndForgetsOnChange() throws Exception {
        ListRegistry backing = new ListRegistry();
        AtomicLong now = new AtomicLong();
        CachingClientRegistry cached = new CachingClientRegistry(backing, Duration.ofSeconds(5), now::get);
        cached.register(new Client("a", Client.Kind.BACKEND, null, new JWKSet(new ECKeyGenerator(Curve.P_384).generate().toPublicJWK()),
                List.of(), Scopes.parse("system/Claim.write"), 1, 1, Instant.now(), null));

        cached.find("a");
        cached.find("a");
        assertThat(backing.lookups).isEqualTo(1);
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        cached.find("a");
        assertThat(backing.lookups).isEqualTo(2);

        backing.revoke("a", Instant.now());
        assertThat(cached.find("a").orElseThrow().isRevoked()).as("another process revoked it; the cache still holds the old row").isFalse();
        assertThat(cached.revoke("a", Instant.now())).isFalse();
        assertThat(cached.find("a").orElseThrow().isRevoked()).as("a change through the cache clears it").isTrue();
        assertThat(cached.find("nobody")).isEmpty();
    }
}
