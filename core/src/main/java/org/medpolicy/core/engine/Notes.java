package org.medpolicy.core.engine;

import java.util.ArrayList;
import java.util.List;

/** Notes gathered while deciding one item; allocates only when a note is added (rare). Not thread-safe: one per decision. */
final class Notes {
    private List<String> notes;

    void add(String note) {
        if (notes == null) {
            notes = new ArrayList<>(2);
        }
        notes.add(note);
    }

    List<String> list() {
        return notes == null ? List.of() : notes;
    }
}
