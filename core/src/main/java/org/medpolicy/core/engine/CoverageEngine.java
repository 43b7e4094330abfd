package org.medpolicy.core.engine;

import org.medpolicy.core.determination.Determination;
import org.medpolicy.core.policy.PolicyLibrary;
import org.medpolicy.core.problem.ProblemException;
import org.medpolicy.core.request.CoverageRequest;
import org.medpolicy.core.request.RequestVocabulary;

/**
 * Decides coverage requests from policy data. Implementations are immutable and thread-safe: one
 * engine serves every channel and thread.
 */
public interface CoverageEngine {

    /**
     * The determination for a checked request.
     *
     * @throws ProblemException with a 422 problem when no policy can decide it: its line of business
     *         is not governed, or no version is in effect on its date of service
     */
    Determination decide(CoverageRequest request);

    /** Which ids its determinations get: {@link TimeOrderedIds.Kind#UNGUESSABLE} where callers read them back by id. */
    TimeOrderedIds.Kind ids();

    /**
     * The decision for one item on its own, without the envelope of a determination (no id, clock,
     * notice or status): what batch screening needs, millions of times, with the same rules as
     * {@link #decide}. The item determination has index 0.
     *
     * @throws ProblemException with a 422 problem, as {@link #decide} does
     */
    ScreenedItem screen(String lineOfBusiness, java.time.LocalDate dateOfService, org.medpolicy.core.request.RequestItem item);

    /** An item decision and the policy version that made it. */
    record ScreenedItem(org.medpolicy.core.determination.ItemDetermination item,
                        org.medpolicy.core.determination.PolicyReference policy, java.util.List<String> notes) {
    }

    /**
     * The determination and what the engine knew around it: whether the request asks for a Part B
     * drug (an FDA-approved product the policy data marks so, however the item names it: its
     * clock is 72 / 24 hours and it can never be extended). One decision, so a channel that needs
     * both does not decide twice.
     *
     * @throws ProblemException with a 422 problem, as {@link #decide} does
     */
    Assessment assess(CoverageRequest request);

    /** A determination, and whether its request is a Part B drug request. */
    record Assessment(Determination determination, boolean partBDrug) {
    }

    /** The id of the policy set the engine decides from ({@code policy.dataVersion} of its determinations), or null. */
    String dataVersion();

    /** The deadline rule the engine's {@code decisionDueBy} follows; cases use the same one. */
    org.medpolicy.core.policy.RegulatoryClock regulatoryClock();

    /** The terms requests may use with this engine's policies (therapies, questions, lines of business). */
    RequestVocabulary vocabulary();

    /** The policy data the engine decides from. */
    PolicyLibrary library();
}
