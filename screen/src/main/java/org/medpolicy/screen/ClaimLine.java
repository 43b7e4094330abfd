package org.medpolicy.screen;

import java.time.LocalDate;
import org.medpolicy.core.request.RequestItem;

/** One claim line, read and checked: where it came from, and the item to decide. Immutable. */
record ClaimLine(long inputLine, String claimId, int lineNumber, String lineOfBusiness, LocalDate dateOfService, RequestItem item) {
}
