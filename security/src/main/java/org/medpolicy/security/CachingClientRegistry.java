package org.medpolicy.security;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A {@link ClientRegistry} that remembers lookups for {@code timeToLive}. Every authenticated call
 * looks its client up (revocation must win over a still-valid token); the database need not answer
 * each time. The price: a client revoked by another process (the {@code medpolicy clients revoke}
 * command) is refused within {@code timeToLive}, not at once. Revocations through this object
 * take effect at once. Thread-safe.
 */
public final class CachingClientRegistry implements ClientRegistry {

    private record Entry(Optional<Client> client, long fetchedAt) {
    }

    private final ClientRegistry delegate;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Entry> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Entry> byIssuer = new ConcurrentHashMap<>();

    public CachingClientRegistry(ClientRegistry delegate, Duration timeToLive) {
        this(delegate, timeToLive, System::nanoTime);
    }

    CachingClientRegistry(ClientRegistry delegate, Duration timeToLive, LongSupplier nanoTime) {
        this.delegate = delegate;
        this.ttlNanos = timeToLive.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public void register(Client client) {
        delegate.register(client);
        invalidate();
    }

    @Override
    public Optional<Client> find(String clientId) {
        return cached(byId, clientId, () -> delegate.find(clientId));
    }

    @Override
    public Optional<Client> findByIssuer(String issuer) {
        return cached(byIssuer, issuer, () -> delegate.findByIssuer(issuer));
    }

    @Override
    public List<Client> list() {
        return delegate.list();
    }

    @Override
    public boolean change(String clientId, java.util.function.UnaryOperator<Client> change) {
        boolean changed = delegate.change(clientId, change);
        invalidate();
        return changed;
    }

    @Override
    public boolean revoke(String clientId, Instant at) {
        boolean revoked = delegate.revoke(clientId, at);
        invalidate();
        return revoked;
    }

    private Optional<Client> cached(ConcurrentHashMap<String, Entry> cache, String key,
                                    java.util.function.Supplier<Optional<Client>> load) {
        long now = nanoTime.getAsLong();
        Entry entry = cache.get(key);
        if (entry == null || now - entry.fetchedAt >= ttlNanos) {
            if (cache.size() > 10_000) {
                cache.clear();
            }
            entry = new Entry(load.get(), now);
            cache.put(key, entry);
        }
        return entry.client;
    }

    private void invalidate() {
        byId.clear();
        byIssuer.clear();
    }
}
