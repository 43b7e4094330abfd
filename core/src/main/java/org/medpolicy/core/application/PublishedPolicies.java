package org.medpolicy.core.application;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.core.engine.CoverageEngines;
import org.medpolicy.core.policy.PolicyLibrary;
import org.medpolicy.core.policy.PolicyLoadException;
import org.medpolicy.core.policy.PolicySet;
import org.medpolicy.core.policy.PolicySetStore;
import org.medpolicy.core.policy.PolicySetStore.Publication;

/**
 * Serves the latest published policy set, and switches to a newer one without a restart: every
 * server on one database polls the publications and switches when a newer one appears, so they all
 * serve the same data. A set is loaded and checked completely before the switch; one that does not
 * load (which {@code policy publish} already refuses) is reported and not switched to. The switch
 * itself is {@link DeterminationService#switchTo}: atomic per request.
 *
 * <p>At start the server keeps the set it was started with and publishes it unless it is already
 * the latest publication: a deployment is a publication. Thread-safe.
 */
public final class PublishedPolicies implements AutoCloseable {

    private final PolicySetStore store;
    private final DeterminationService determinations;
    private final Clock clock;
    private final ZoneId zone;
    private final Consumer<String> log;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "medpolicy-policy-poller");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Publication current;

    public PublishedPolicies(PolicySetStore store, DeterminationService determinations, Clock clock, ZoneId zone, Consumer<String> log) {
        this.store = store;
        this.determinations = determinations;
        this.clock = clock;
        this.zone = zone;
        this.log = log;
    }

    /** An engine over {@code set}, already loaded as {@code library}. */
    public CoverageEngine engine(PolicySet set, PolicyLibrary library) {
        return CoverageEngines.create(library, set.id(), clock, zone);
    }

    /**
     * Keeps {@code startedWith} (whose engine the determination service already uses), publishes it
     * unless it is the latest publication, and polls every {@code every} for newer ones.
     */
    public Publication start(PolicySet startedWith, String by, Duration every) {
        store.save(startedWith);
        Optional<Publication> latest = store.latest();
        current = latest.isPresent() && latest.get().setId().equals(startedWith.id()) ? latest.get()
                : store.publish(startedWith.id(), by);
        if (!every.isZero()) {
            poller.scheduleWithFixedDelay(this::refreshQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }
        return current;
    }

    /** The publication in use. */
    public Publication current() {
        return current;
    }

    /**
     * Switches to the latest publication if it is newer than the one in use: true when it switched.
     *
     * @throws PolicyLoadException when the newer set does not load (nothing is switched)
     */
    public synchronized boolean refresh() {
        Optional<Publication> latest = store.latest();
        if (latest.isEmpty() || current != null && latest.get().sequence() <= current.sequence()) {
            return false;
        }
        Publication next = latest.get();
        if (current != null && next.setId().equals(current.setId())) {
            current = next;
            return false;
        }
        PolicySet set = store.find(next.setId())
                .orElseThrow(() -> new IllegalStateException("publication " + next.sequence() + " names a set that is not kept"));
        PolicyLibrary library = set.load();
        determinations.switchTo(engine(set, library));
        current = next;
        log.accept("policy data " + set.shortId() + " (publication " + next.sequence() + " by " + next.publishedBy() + ") is in use");
        return true;
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            log.accept("policy data not switched: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
