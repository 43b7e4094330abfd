package org.medpolicy.core.determination;

import java.time.LocalDate;
import java.time.YearMonth;

/**
 * The policy version a determination used, whether its review is overdue, and the id of the whole
 * set of policy data it was decided under ({@code dataVersion}; null when the data did not come
 * from a known set).
 */
public record PolicyReference(String id, String title, LocalDate version, YearMonth nextReview, boolean reviewOverdue,
                              String dataVersion) {
}
