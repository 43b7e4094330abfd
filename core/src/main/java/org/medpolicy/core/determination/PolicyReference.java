package org.medpolicy.core.determination;

import java.time.LocalDate;
import java.time.YearMonth;

/** The policy version a determination used, and whether its review is overdue. */
public record PolicyReference(String id, String title, LocalDate version, YearMonth nextReview, boolean reviewOverdue) {
}
