package org.medpolicy.core.request;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A request for a coverage determination, already checked by {@link RequestReader}.
 * {@code receivedAt} is null when the caller left it out (the engine then uses its clock);
 * {@code lineOfBusiness} is upper case. Immutable.
 */
public record CoverageRequest(
        String requestId,
        RequestKind kind,
        String lineOfBusiness,
        LocalDate dateOfService,
        Instant receivedAt,
        Urgency urgency,
        Requester requester,
        Member member,
        List<RequestItem> items) {

    public CoverageRequest {
        urgency = urgency == null ? Urgency.STANDARD : urgency;
        items = List.copyOf(items);
    }

    /**
     * This request with {@code answers} (by item index: question id to answer code) merged into its
     * items' answers, a later answer to a question replacing an earlier one: what information
     * received does to a case's request. The result is checked like any request before it is decided.
     *
     * @throws IndexOutOfBoundsException when an index names no item
     */
    public CoverageRequest withAnswers(Map<Integer, Map<String, String>> answers) {
        List<RequestItem> merged = new ArrayList<>(items);
        answers.forEach((index, given) -> merged.set(index, merged.get(index).answered(given)));
        return new CoverageRequest(requestId, kind, lineOfBusiness, dateOfService, receivedAt, urgency, requester, member, merged);
    }

    /** This request as received at {@code at} with {@code asked} urgency (what a case fixes when it is filed). */
    public CoverageRequest received(Instant at, Urgency asked) {
        return new CoverageRequest(requestId, kind, lineOfBusiness, dateOfService, at, asked, requester, member, items);
    }
}
