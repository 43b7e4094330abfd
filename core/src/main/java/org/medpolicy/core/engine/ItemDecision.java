package org.medpolicy.core.engine;

import java.util.List;
import org.medpolicy.core.determination.ItemDetermination;

/** An item's determination plus what the engine needs around it: whether it is a Part B drug, and notes for the warnings. */
record ItemDecision(ItemDetermination determination, boolean partBDrug, List<String> notes) {

    static ItemDecision of(ItemDetermination determination, Notes notes) {
        return new ItemDecision(determination, false, notes.list());
    }
}
