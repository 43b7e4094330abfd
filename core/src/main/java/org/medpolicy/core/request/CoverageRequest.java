package org.medpolicy.core.request;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

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

    /** This request as received at {@code at} with {@code asked} urgency (what a case fixes when it is filed). */
    public CoverageRequest received(Instant at, Urgency asked) {
        return new CoverageRequest(requestId, kind, lineOfBusiness, dateOfService, at, asked, requester, member, items);
    }
}
