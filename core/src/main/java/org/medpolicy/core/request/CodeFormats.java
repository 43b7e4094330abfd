package org.medpolicy.core.request;

/**
 * The shapes of procedure and diagnosis codes, checked by hand rather than by regular expression:
 * they run on every item of every request and every claim line a batch screens (millions a minute).
 * Stateless.
 */
final class CodeFormats {

    private CodeFormats() {
    }

    /** Four digits, then a digit or letter (CPT categories I, II, III: 36511, 0537T, 3008F). */
    static boolean isCptForm(String value) {
        return value.length() == 5 && digit(value, 0) && digit(value, 1) && digit(value, 2) && digit(value, 3)
                && (digit(value, 4) || letter(value, 4));
    }

    /** A letter, then four digits (HCPCS Level II: S2107, Q2041). */
    static boolean isHcpcsLevelTwo(String value) {
        return value.length() == 5 && letter(value, 0) && digit(value, 1) && digit(value, 2) && digit(value, 3) && digit(value, 4);
    }

    /** ICD-10-CM: a letter, a digit, a digit or letter, then optionally a dot and 1 to 4 digits or letters. */
    static boolean isIcd10(String value) {
        int n = value.length();
        if (n < 3 || !letter(value, 0) || !digit(value, 1) || !(digit(value, 2) || letter(value, 2))) {
            return false;
        }
        int i = 3;
        if (i < n && value.charAt(i) == '.') {
            i++;
        }
        int rest = n - i;
        if (n == 3) {
            return true;
        }
        if (rest < 1 || rest > 4) {
            return false;
        }
        for (; i < n; i++) {
            if (!(digit(value, i) || letter(value, i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean digit(String value, int index) {
        char c = value.charAt(index);
        return c >= '0' && c <= '9';
    }

    private static boolean letter(String value, int index) {
        char c = value.charAt(index);
        return c >= 'A' && c <= 'Z';
    }

}
