package org.medpolicy.store;

import java.nio.charset.StandardCharsets;
import org.medpolicy.core.log.MemberKeyHasher;
import org.medpolicy.core.log.PhiSeal;

/** The PHI seal and member-id hasher the store's tests write with: fixed keys, so a test can reopen what another wrote. */
final class TestPhi {

    static final PhiSeal SEAL = new PhiSeal("store-tests-phi-key-of-32-bytes!".getBytes(StandardCharsets.US_ASCII));
    static final MemberKeyHasher HASHER = new MemberKeyHasher("store-tests-member-hash-key-32-bytes".getBytes(StandardCharsets.US_ASCII));

    private TestPhi() {
    }
}
