package org.medpolicy.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.medpolicy.core.text.PhraseNormalizer;

/**
 * The automaton finds exactly what a naive search of whole words finds, for any phrases and text
 * over a small alphabet (where overlaps, shared prefixes and suffixes are common); plus the
 * normalization rules spelled out as examples.
 */
class PhraseMatcherProperties {

    @Provide
    Arbitrary<List<String>> phraseSets() {
        return Arbitraries.strings().withChars("ab s-").ofMinLength(1).ofMaxLength(6).list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<String>> textPieces() {
        return Arbitraries.strings().withChars("ab s-T1é").ofMaxLength(6).list().ofMaxSize(6);
    }

    /**
     * For each phrase in turn, give it the best rank and ask whether the scan reports it; the answer
     * must equal a naive search of the normalized text for the normalized phrase between spaces. The
     * text is woven from the phrases themselves and random pieces, so overlapping and nested
     * matches (the cases an automaton gets wrong) are common.
     */
    @Property(tries = 1_500)
    void findsWhatANaiveWholeWordSearchFinds(@ForAll("phraseSets") List<String> phrases, @ForAll("textPieces") List<String> pieces) {
        StringBuilder woven = new StringBuilder();
        for (int i = 0; i < pieces.size(); i++) {
            woven.append(pieces.get(i)).append(i % 2 == 0 ? " " : "").append(phrases.get(i % phrases.size())).append(' ');
        }
        String text = woven.toString();
        String haystack = " " + PhraseNormalizer.normalize(text) + " ";
        for (int candidate = 0; candidate < phrases.size(); candidate++) {
            PhraseMatcher.Builder builder = PhraseMatcher.builder();
            for (int i = 0; i < phrases.size(); i++) {
                builder.add(phrases.get(i), TextFindings.category(i == candidate ? 0 : i + 1));
            }
            boolean found = TextFindings.category(builder.build().scan(text)) == 0;
            String needle = PhraseNormalizer.normalize(phrases.get(candidate));
            boolean expected = !needle.isEmpty() && haystack.contains(" " + needle + " ");
            assertThat(found).as("phrase '%s' in '%s'", phrases.get(candidate), text).isEqualTo(expected);
        }
    }

    @Test
    void normalizationReadsWordsLikeAClinicianWritesThem() {
        assertThat(PhraseNormalizer.normalize("CAR-T cells")).isEqualTo("car t cell");
        assertThat(PhraseNormalizer.normalize("Yescarta™ (axi-cel)")).isEqualTo("yescarta axi cel");
        assertThat(PhraseNormalizer.normalize("TILs")).isEqualTo("til");
        assertThat(PhraseNormalizer.normalize("leukapheresis, virus, class")).isEqualTo("leukapheresis virus class");
        assertThat(PhraseNormalizer.normalize("Guillain-Barré")).isEqualTo("guillain barre");
        assertThat(PhraseNormalizer.normalize("  --  ")).isEmpty();
        assertThat(PhraseNormalizer.normalize("Ñandú Søren straße")).isEqualTo("nandu s?ren stra?e");
        // Characters whose NFD decomposition is longer than themselves must not outgrow the buffer.
        for (String text : List.of("한국어 텍스트", "ǄǅǆǇ", "ﬁﬂ", "\uD83D\uDE00 emoji", "ᾂᾃ", "Ⅻ", "가".repeat(500))) {
            byte[] out = new byte[PhraseNormalizer.capacityFor(text)];
            assertThat(PhraseNormalizer.symbols(text, out)).isLessThanOrEqualTo(out.length);
        }
    }

    @Test
    void productsAndAskPhrasesAreReportedAlongsideCategories() {
        PhraseMatcher matcher = PhraseMatcher.builder()
                .add("Kymriah", TextFindings.product(3))
                .add("Yescarta", TextFindings.product(5))
                .add("adoptive cell therapy", TextFindings.ask())
                .add("CAR T", TextFindings.category(2))
                .add("T cell", TextFindings.category(7))
                .build();
        long one = matcher.scan("adoptive cell therapy: CAR T-cell (Kymriah)");
        assertThat(TextFindings.product(one)).isEqualTo(3);
        assertThat(TextFindings.severalProducts(one)).isFalse();
        assertThat(TextFindings.category(one)).isEqualTo(2);
        assertThat(TextFindings.ask(one)).isTrue();
        long two = matcher.scan("switch from Kymriah to Yescarta");
        assertThat(TextFindings.product(two)).isEqualTo(3);
        assertThat(TextFindings.severalProducts(two)).isTrue();
        assertThat(matcher.scan("")).isEqualTo(TextFindings.NONE);
        assertThat(matcher.scan("Kymriahs")).as("folded plural").isNotEqualTo(TextFindings.NONE);
        assertThat(matcher.scan("kymriahx")).isEqualTo(TextFindings.NONE);
    }
}
