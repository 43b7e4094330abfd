package org.medpolicy.core.text;

import java.text.Normalizer;

/**
 * Turns text into the symbol sequence that phrase matching works on: words of ASCII letters and
 * digits, lower-cased, separated by single spaces, with a space before the first word and after the
 * last. Everything that is not a letter or digit separates words, so "CAR-T", "car t" and "CAR T"
 * read alike, and "Yescarta™" reads as "yescarta". Accents are dropped ("Barré" reads as
 * "barre"); other non-ASCII letters become one {@link #OTHER} symbol, which no ASCII phrase matches.
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
 * writes into a caller-supplied array, and allocates nothing unless the text holds non-ASCII
 * characters (then it first applies Unicode NFD decomposition, the rare path).
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
        CharSequence source = isAscii(text) ? text : foldAccents(text);
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
        if (c > 127 && Character.isLetterOrDigit(c)) {
            return OTHER;
        }
        return SPACE;
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

    private static boolean isAscii(CharSequence text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            if (text.charAt(i) > 127) {
                return false;
            }
        }
        return true;
    }

    private static CharSequence foldAccents(CharSequence text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
        StringBuilder folded = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            if (Character.getType(c) != Character.NON_SPACING_MARK) {
                folded.append(c);
            }
        }
        return folded;
    }
}
