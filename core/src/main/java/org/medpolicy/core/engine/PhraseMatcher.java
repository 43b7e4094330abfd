package org.medpolicy.core.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.medpolicy.core.text.PhraseNormalizer;

/**
 * Finds every phrase of a fixed set in a text in one pass: an Aho-Corasick automaton over the
 * symbols of {@link PhraseNormalizer}, compiled to a full transition table.
 *
 * <p>Why built this way: a decision reads up to two free-text fields against a few hundred
 * phrases (category synonyms, product names, ask phrases). Scanning phrase by phrase would cost
 * phrases × text; the automaton costs one table lookup per character, whatever the number of
 * phrases, and allocates only the symbol buffer. Word boundaries come free: every phrase is
 * compiled with a space before and after it, and the normalized text has a space between words
 * and at both ends, so "til" matches in "TIL therapy" but not in "until".
 *
 * <p>What a phrase means is an int chosen by the builder (see {@link TextFindings}); a scan folds
 * the meanings found into a {@code long}. Immutable and thread-safe once built.
 */
final class PhraseMatcher {

    private static final int ALPHABET = PhraseNormalizer.ALPHABET_SIZE;
    private static final int[] NONE = new int[0];

    /** Next state for state s and symbol c at {@code delta[s * ALPHABET + c]}. */
    private final int[] delta;
    /** Meanings of the phrases that end in each state (its own and those of its suffix states). */
    private final int[][] meanings;

    private PhraseMatcher(int[] delta, int[][] meanings) {
        this.delta = delta;
        this.meanings = meanings;
    }

    /** Folds every meaning found in {@code text} into a {@link TextFindings} value. */
    long scan(CharSequence text) {
        if (text == null || text.isEmpty()) {
            return TextFindings.NONE;
        }
        byte[] symbols = new byte[PhraseNormalizer.capacityFor(text)];
        int length = PhraseNormalizer.symbols(text, symbols);
        long findings = TextFindings.NONE;
        int state = 0;
        for (int i = 0; i < length; i++) {
            state = delta[state * ALPHABET + symbols[i]];
            int[] found = meanings[state];
            for (int meaning : found) {
                findings = TextFindings.add(findings, meaning);
            }
        }
        return findings;
    }

    static Builder builder() {
        return new Builder();
    }

    /** Collects phrases, then compiles. Not thread-safe; used once per policy version at load. */
    static final class Builder {
        private final List<int[]> children = new ArrayList<>();
        private final List<List<Integer>> outputs = new ArrayList<>();

        private Builder() {
            newState();
        }

        /** Adds {@code phrase} with {@code meaning}; a phrase with no letters or digits is ignored. */
        Builder add(String phrase, int meaning) {
            byte[] symbols = PhraseNormalizer.symbols(phrase);
            if (symbols.length <= 1) {
                return this;
            }
            int state = 0;
            for (byte symbol : symbols) {
                int next = children.get(state)[symbol];
                if (next == 0) {
                    next = newState();
                    children.get(state)[symbol] = next;
                }
                state = next;
            }
            if (!outputs.get(state).contains(meaning)) {
                outputs.get(state).add(meaning);
            }
            return this;
        }

        private int newState() {
            children.add(new int[ALPHABET]);
            outputs.add(new ArrayList<>());
            return children.size() - 1;
        }

        /** Breadth-first: each state's failure link, then its full transition row and merged outputs. */
        PhraseMatcher build() {
            int states = children.size();
            int[] delta = new int[states * ALPHABET];
            int[] failure = new int[states];
            int[][] meanings = new int[states][];
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            meanings[0] = toArray(outputs.get(0));
            for (int c = 0; c < ALPHABET; c++) {
                int child = children.get(0)[c];
                delta[c] = child;
                if (child != 0) {
                    failure[child] = 0;
                    queue.add(child);
                }
            }
            while (!queue.isEmpty()) {
                int state = queue.poll();
                List<Integer> merged = new ArrayList<>(outputs.get(state));
                for (int meaning : meanings[failure[state]]) {
                    if (!merged.contains(meaning)) {
                        merged.add(meaning);
                    }
                }
                meanings[state] = toArray(merged);
                for (int c = 0; c < ALPHABET; c++) {
                    int child = children.get(state)[c];
                    if (child != 0) {
                        failure[child] = delta[failure[state] * ALPHABET + c];
                        delta[state * ALPHABET + c] = child;
                        queue.add(child);
                    } else {
                        delta[state * ALPHABET + c] = delta[failure[state] * ALPHABET + c];
                    }
                }
            }
            return new PhraseMatcher(delta, meanings);
        }

        private static int[] toArray(List<Integer> values) {
            return values.isEmpty() ? NONE : values.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    @Override
    public String toString() {
        return "PhraseMatcher[states=" + meanings.length + ", phrases=" + Arrays.stream(meanings).mapToInt(m -> m.length).sum() + "]";
    }
}
