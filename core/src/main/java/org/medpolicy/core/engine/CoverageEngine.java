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

    /** The terms requests may use with this engine's policies (therapies, questions, lines of business). */
    RequestVocabulary vocabulary();

    /** The policy data the engine decides from. */
    PolicyLibrary library();
}
