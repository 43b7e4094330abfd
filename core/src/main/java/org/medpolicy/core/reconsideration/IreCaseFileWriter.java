package org.medpolicy.core.reconsideration;

import java.util.List;
import org.medpolicy.core.cases.CaseEvent;
import org.medpolicy.core.cases.ReviewCase;

/**
 * Produces the case file the independent review entity receives when a case is forwarded: a
 * document a person reads and a machine-readable bundle, each a {@link StoredDocument}
 * ({@link StoredDocument#CASE_FILE_PDF}, {@link StoredDocument#CASE_FILE_BUNDLE}). It is given
 * everything the file holds: the case with its history and the reconsideration (forwarded, with
 * its history) with the request, the determinations and the notices kept for both. Implementations
 * are stateless and thread-safe.
 */
public interface IreCaseFileWriter {

    /** What the file is made from: both reviews, their histories, and the documents already kept. */
    record Contents(ReviewCase organizationDetermination, List<CaseEvent> caseHistory, byte[] determinationNotice,
                    Reconsideration reconsideration, List<ReconsiderationEvent> reconsiderationHistory,
                    List<StoredDocument> reconsiderationNotices) {
    }

    List<StoredDocument> write(Contents contents);
}
