package org.medpolicy.core.cases;

/** Told after a case changed and the change is stored (e.g. to notify a PAS subscriber). Implementations must not block. */
@FunctionalInterface
public interface CaseListener {

    void changed(ReviewCase reviewCase);
}
