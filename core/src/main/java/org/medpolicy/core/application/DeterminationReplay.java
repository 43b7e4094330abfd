package org.medpolicy.core.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.medpolicy.core.determination.Determination;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.core.engine.CoverageEngines;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.json.JsonDifferences;
import org.medpolicy.core.log.DecisionRecord;
import org.medpolicy.core.log.DeterminationLog;
import org.medpolicy.core.policy.PolicySet;
import org.medpolicy.core.policy.PolicySetStore;
import org.medpolicy.core.problem.ProblemException;
import org.medpolicy.core.request.RequestReader;

/**
 * Decides a logged determination again: its stored request, with the policy set it was decided
 * under (kept, never overwritten), as of the time it was decided, and shows that the answer is the
 * same (every field but the new determination's id); when the data in use now is another set, also
 * what that data would have answered, and how it differs. Nothing is recorded: a replay is a check,
 * not a determination.
 *
 * <p>Engines are compiled once per set and kept (there are few sets). Thread-safe.
 */
public final class DeterminationReplay {

    /** Why a determination cannot be replayed: it was logged before policy sets were kept, or its set is gone. */
    public static final class NotReplayable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotReplayable(String message) {
            super(message, null, false, false);
        }
    }

    private static final Set<String> NEW_EACH_TIME = Set.of("determinationId");

    private record Replayer(CoverageEngine engine, RequestReader reader) {
    }

    private final DeterminationLog log;
    private final PolicySetStore sets;
    private final Supplier<String> currentSet;
    private final ZoneId zone;
    private final ReplayClock clock = new ReplayClock();
    private final Map<String, Replayer> replayers = new ConcurrentHashMap<>();

    /** {@code currentSet}: the id of the policy set in use now (null when it is not a kept set). */
    public DeterminationReplay(DeterminationLog log, PolicySetStore sets, Supplier<String> currentSet, ZoneId zone) {
        this.log = log;
        this.sets = sets;
        this.currentSet = currentSet;
        this.zone = zone;
    }

    /**
     * The replay of {@code determinationId}, or empty when no determination has that id.
     *
     * @throws NotReplayable when it was logged before sets were kept, or its set cannot be found
     */
    public Optional<ObjectNode> replay(String determinationId) {
        Optional<DecisionRecord> found = log.find(determinationId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        DecisionRecord record = found.get();
        if (record.policySet() == null) {
            throw new NotReplayable("Determination " + determinationId + " was logged before medpolicy kept the policy data it "
                    + "decided under, so it cannot be decided again with that data.");
        }
        JsonNode stored = tree(record.responseJson().toByteArray());
        ObjectNode result = ContractJson.mapper().createObjectNode();
        result.put("determinationId", determinationId);
        result.put("decidedAt", record.decidedAt().toString());
        result.put("dataVersion", record.policySet());
        JsonNode replayed = decide(record.policySet(), record);
        List<String> differences = JsonDifferences.between(stored, replayed, NEW_EACH_TIME);
        result.put("identical", differences.isEmpty());
        differences.forEach(result.putArray("differences")::add);
        result.set("replayed", replayed);
        String now = currentSet.get();
        if (now != null && !now.equals(record.policySet())) {
            ObjectNode current = result.putObject("current");
            current.put("dataVersion", now);
            JsonNode answer = decide(now, record);
            List<String> changes = JsonDifferences.between(withoutDataVersion(stored), withoutDataVersion(answer), NEW_EACH_TIME);
            current.put("sameAnswer", changes.isEmpty());
            changes.forEach(current.putArray("differences")::add);
            current.set("determination", answer);
        } else {
            result.putNull("current");
        }
        return Optional.of(result);
    }

    private JsonNode decide(String setId, DecisionRecord record) {
        Replayer replayer = replayers.computeIfAbsent(setId, id -> {
            PolicySet set = sets.find(id).orElseThrow(() -> new NotReplayable("The policy data " + id + " that decided "
                    + record.determinationId() + " is not kept in this database."));
            CoverageEngine engine = CoverageEngines.create(set.load(), set.id(), clock, zone);
            return new Replayer(engine, new RequestReader(engine.vocabulary()));
        });
        clock.set(record.decidedAt());
        try {
            Determination determination = replayer.engine().decide(replayer.reader().read(record.requestJson().toByteArray()));
            return ContractJson.mapper().valueToTree(determination);
        } catch (ProblemException e) {
            return ContractJson.mapper().valueToTree(e.problem());
        }
    }

    /** The answer without the data version, which differs by definition when the data does. */
    private static JsonNode withoutDataVersion(JsonNode determination) {
        JsonNode copy = determination.deepCopy();
        if (copy.path("policy") instanceof ObjectNode policy) {
            policy.remove("dataVersion");
        }
        return copy;
    }

    private static JsonNode tree(byte[] json) {
        try {
            return ContractJson.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("a logged determination cannot be read", e);
        }
    }
}
