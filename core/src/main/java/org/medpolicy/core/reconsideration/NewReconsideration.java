package org.medpolicy.core.reconsideration;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A reconsideration request as it arrives: who asked (role and name), the contested items by their
 * index in the case's request (null: every denied item), whether expedited review is asked for,
 * the member's reason, a good-cause statement (needed when the filing window has closed), when it
 * was received (null: now; an earlier time for a request taken by phone or mail, never in the
 * future), and new answers to the policy's questions by item index (may be empty).
 */
public record NewReconsideration(RequestedBy requestedBy, String requesterName, List<Integer> items, boolean expedited, String reason,
                                 String goodCause, Instant receivedAt, Map<Integer, Map<String, String>> answers) {

    public NewReconsideration {
        items = items == null ? null : List.copyOf(items);
        answers = answers == null ? Map.of() : Map.copyOf(answers);
    }
}
