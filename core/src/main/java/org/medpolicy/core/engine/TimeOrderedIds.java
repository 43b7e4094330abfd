package org.medpolicy.core.engine;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Determination ids: UUID version 7 (RFC 9562), a millisecond timestamp then 74 random bits.
 * Time-ordered ids keep a store's index append-mostly; {@link ThreadLocalRandom} keeps them cheap
 * (a {@code SecureRandom} UUID costs more than a whole decision). They identify, they do not
 * authorize, so they need not be unguessable. Thread-safe.
 */
public final class TimeOrderedIds {

    private TimeOrderedIds() {
    }

    public static String next(long epochMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (epochMillis << 16) | 0x7000L | (random.nextInt() & 0x0FFFL);
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }
}
