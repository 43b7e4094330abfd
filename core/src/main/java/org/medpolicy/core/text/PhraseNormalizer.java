package org.medpolicy.core.text;

import java.text.Normalizer;

/**
 * Turns text into the symbol sequence that phrase matching works on: words of ASCII letters and
 * digits, lower-cased, separated by single spaces, with a space before the first word and after the
 * last. Everything that is not a letter or digit separates words, so "CAR-T", "car t" and "CAR T"
 * read alike, and "Yescarta™" reads as "yescarta". Accents of Latin letters are dropped ("Barré"
 * reads as "barre"); every other non-ASCII letter or digit becomes one {@link #OTHER} symbol, which
 * no ASCII phrase matches. Each input character gives at most one symbol, so the output never
 * outgrows {@link #capacityFor} (decomposing whole strings would: a Hangul syllable is three letters).
 *
 * <p>A simple English plural is folded: a trailing "s" of a word of four or more characters is
 * dropped unless it ends "ss", "us" or "is" ("cells" → "cell", "TILs" → "til", but "apheresis",
 * "virus" and "class" stay). Phrases and text are folded the same way, so a policy author may write
 * either form.
 *
 * <p>Symbols are bytes: {@link #SPACE} = 0, 'a'..'z' = 1..26, '0'..'9' = 27..36, {@link #OTHER} = 37.
 * The matcher indexes its transition table with them, so this is the whole alphabet.
 *
 * <p>Stateless and thread-safe. This is on every decision's path: it makes one pass over the text,
 * writes into a caller-supplied array and allocates nothing; Latin accents are folded through a
 * table built once from Unicode NFD.
 */
public final class PhraseNormalizer {

    public static final byte SPACE = 0;
    public static final byte OTHER = 37;
    public static final int ALPHABET_SIZE = 38;

    private PhraseNormalizer() {
    }

    /** The size of array {@link #symbols(CharSequence, byte[])} may need for {@code text}. */
    public static int capacityFor(CharSequence text) {
        return text.length() * 2 + 2;
    }

    /**
     * Writes the symbols of {@code text} into {@code out} (at least {@link #capacityFor} long) and
     * returns how many were written. Empty or separator-only text gives one SPACE.
     */
    public static int symbols(CharSequence text, byte[] out) {
        CharSequence source = text;
        int length = 0;
        out[length++] = SPACE;
        int wordLength = 0;
        for (int i = 0, n = source.length(); i < n; i++) {
            byte symbol = symbolOf(source.charAt(i));
            if (symbol == SPACE) {
                if (wordLength > 0) {
                    length = endWord(out, length, wordLength);
                    wordLength = 0;
                }
            } else {
                out[length++] = symbol;
                wordLength++;
            }
        }
        if (wordLength > 0) {
            length = endWord(out, length, wordLength);
        }
        return length;
    }

    /** The symbols of {@code text}, as an exact-length array (for building matchers, not for the hot path). */
    public static byte[] symbols(CharSequence text) {
        byte[] buffer = new byte[capacityFor(text)];
        int length = symbols(text, buffer);
        return java.util.Arrays.copyOf(buffer, length);
    }

    /** The normalized text as a readable string ("car t cell"), for messages and tests. */
    public static String normalize(CharSequence text) {
        byte[] symbols = symbols(text);
        StringBuilder readable = new StringBuilder(symbols.length);
        for (byte symbol : symbols) {
            readable.append(charOf(symbol));
        }
        return readable.toString().trim();
    }

    private static int endWord(byte[] out, int length, int wordLength) {
        if (wordLength >= 4 && out[length - 1] == S) {
            byte before = out[length - 2];
            if (before != S && before != U && before != I) {
                length--;
            }
        }
        out[length++] = SPACE;
        return length;
    }

    private static final byte S = (byte) ('s' - 'a' + 1);
    private static final byte U = (byte) ('u' - 'a' + 1);
    private static final byte I = (byte) ('i' - 'a' + 1);

    private static byte symbolOf(char c) {
        if (c >= 'a' && c <= 'z') {
            return (byte) (c - 'a' + 1);
        }
        if (c >= 'A' && c <= 'Z') {
            return (byte) (c - 'A' + 1);
        }
        if (c >= '0' && c <= '9') {
            return (byte) (c - '0' + 27);
        }
        if (c < 128) {
            return SPACE;
        }
        if (c < LATIN.length) {
            return LATIN[c];
        }
        return Character.isLetterOrDigit(c) ? OTHER : SPACE;
    }

    private static char charOf(byte symbol) {
        if (symbol == SPACE) {
            return ' ';
        }
        if (symbol <= 26) {
            return (char) ('a' + symbol - 1);
        }
        if (symbol <= 36) {
            return (char) ('0' + symbol - 27);
        }
        return '?';
    }

    /** Symbols of U+0080..U+024F: the base letter of an accented Latin letter, OTHER for other letters, SPACE otherwise. */
    private static final byte[] LATIN = latin();

    private static byte[] latin() {
        byte[] table = new byte[0x250];
        for (char c = 0x80; c < 0x250; c++) {
            String decomposed = Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFD);
            char base = decomposed.charAt(0);
            if (base < 128 && Character.isLetterOrDigit(base)) {
                table[c] = symbolOf(base);
            } else {
                table[c] = Character.isLetterOrDigit(c) ? OTHER : SPACE;
            }
        }
        return table;
    }
}
