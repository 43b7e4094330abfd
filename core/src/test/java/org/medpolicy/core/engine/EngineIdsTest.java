package org.medpolicy.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.medpolicy.core.policy.PolicyLibrary;
import org.medpolicy.core.policy.PolicyLoader;

/**
 * Issue #12: an id a caller reads something back by has its random bits from a CSPRNG. The engine
 * the server decides with (the one naming its policy set) makes unguessable ids; only batch work,
 * whose determinations nobody reads back, makes fast ones.
 */
class EngineIdsTest {

    static final PolicyLibrary LIBRARY = PolicyLoader.loadBundled();

    @Test
    void theServersEngineMakesUnguessableIdsAndBatchEnginesFastOnes() {
        assertThat(CoverageEngines.create(LIBRARY, "set-1", Clock.systemUTC(), ZoneOffset.UTC).ids())
                .isEqualTo(TimeOrderedIds.Kind.UNGUESSABLE);
        assertThat(CoverageEngines.create(LIBRARY, Clock.systemUTC(), ZoneOffset.UTC).ids()).isEqualTo(TimeOrderedIds.Kind.FAST);
    }

    @Test
    void bothKindsAreTimeOrderedVersion7Uuids() {
        for (TimeOrderedIds.Kind kind : TimeOrderedIds.Kind.values()) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 1_000; i++) {
                String id = kind.apply(1_764_806_400_000L);
                UUID uuid = UUID.fromString(id);
                assertThat(uuid.version()).as(id).isEqualTo(7);
                assertThat(uuid.variant()).as(id).isEqualTo(2);
                assertThat(uuid.getMostSignificantBits() >>> 16).as("the millisecond first").isEqualTo(1_764_806_400_000L);
                seen.add(id);
            }
            assertThat(seen).as(kind + ": no repeats").hasSize(1_000);
        }
    }
}
