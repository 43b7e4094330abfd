package org.medpolicy.core.engine;

/**
 * What a scan of free text found, packed in a {@code long} so a scan allocates no result object:
 * the first product named (bits 0–15, index + 1), whether another product was named too (bit 16),
 * the best-ranked category named (bits 20–35, index + 1: categories are indexed in order of
 * precedence, so the lowest index wins), whether an ask phrase was found (bit 40), and the first
 * name shared by several products (bits 44–59, index + 1).
 *
 * <p>A meaning (what the builder attaches to a phrase) is an int: kind in the top byte, index below.
 */
final class TextFindings {

    static final long NONE = 0L;

    static final int PRODUCT = 1 << 24;
    static final int CATEGORY = 2 << 24;
    static final int ASK = 3 << 24;
    static final int SHARED_NAME = 4 << 24;
    private static final int INDEX_MASK = (1 << 24) - 1;

    private static final long PRODUCT_MASK = 0xFFFFL;
    private static final long SEVERAL_PRODUCTS = 1L << 16;
    private static final int CATEGORY_SHIFT = 20;
    private static final long CATEGORY_MASK = 0xFFFFL << CATEGORY_SHIFT;
    private static final long ASK_FOUND = 1L << 40;
    private static final int SHARED_SHIFT = 44;
    private static final long SHARED_MASK = 0xFFFFL << SHARED_SHIFT;

    private TextFindings() {
    }

    static int product(int index) {
        return PRODUCT | index;
    }

    static int category(int index) {
        return CATEGORY | index;
    }

    static int ask() {
        return ASK;
    }

    static int sharedName(int index) {
        return SHARED_NAME | index;
    }

    static long add(long findings, int meaning) {
        int index = meaning & INDEX_MASK;
        switch (meaning & ~INDEX_MASK) {
            case PRODUCT -> {
                long first = findings & PRODUCT_MASK;
                if (first == 0) {
                    return findings | (index + 1);
                }
                return first == index + 1 ? findings : findings | SEVERAL_PRODUCTS;
            }
            case CATEGORY -> {
                long best = (findings & CATEGORY_MASK) >>> CATEGORY_SHIFT;
                if (best == 0 || index + 1 < best) {
                    return (findings & ~CATEGORY_MASK) | ((long) (index + 1) << CATEGORY_SHIFT);
                }
                return findings;
            }
            case ASK -> {
                return findings | ASK_FOUND;
            }
            case SHARED_NAME -> {
                return (findings & SHARED_MASK) != 0 ? findings : findings | ((long) (index + 1) << SHARED_SHIFT);
            }
            default -> throw new IllegalArgumentException("unknown meaning " + Integer.toHexString(meaning));
        }
    }

    /** Index of the first product named, or -1. */
    static int product(long findings) {
        return (int) (findings & PRODUCT_MASK) - 1;
    }

    static boolean severalProducts(long findings) {
        return (findings & SEVERAL_PRODUCTS) != 0;
    }

    /** Index of the best-ranked category named, or -1. */
    static int category(long findings) {
        return (int) ((findings & CATEGORY_MASK) >>> CATEGORY_SHIFT) - 1;
    }

    static boolean ask(long findings) {
        return (findings & ASK_FOUND) != 0;
    }

    /** Index of the first name shared by several products, or -1. */
    static int sharedName(long findings) {
        return (int) ((findings & SHARED_MASK) >>> SHARED_SHIFT) - 1;
    }
}
