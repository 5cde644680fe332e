package dev.bonsai.datasets.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Encoding prompts and decoding generated tokens, for character and word vocabularies. */
class TextCodecTest {

    @Test
    void charactersRoundTripAndUnknownOnesAreNamed() {
        TextCodec codec = new TextCodec(List.of("\n", " ", "a", "b", "é"));
        assertThat(codec.characterLevel()).isTrue();
        assertThat(codec.encode("ab é\n")).containsExactly(2, 3, 1, 4, 0);
        assertThat(codec.decode(new int[] {2, 3, 1, 4, 0})).isEqualTo("ab é\n");
        assertThat(codec.lineBreak()).hasValue(0);
        assertThatThrownBy(() -> codec.encode("abc")).isInstanceOf(BonsaiException.class).hasMessageContaining("U+0063");
    }

    @Test
    void wordsBecomeIdsWithEndsOfLinesAndUnknowns() {
        TextCodec codec = new TextCodec(List.of("the", "cat", TextCorpus.EOS, "sat", TextCorpus.UNK));
        assertThat(codec.characterLevel()).isFalse();
        assertThat(codec.encode("the cat")).containsExactly(0, 1);
        assertThat(codec.encode("the  dog\nsat\n")).containsExactly(0, 4, 2, 3, 2);
        assertThat(codec.decode(new int[] {0, 1, 2, 3, 0})).isEqualTo("the cat\nsat the");
        assertThat(codec.lineBreak()).hasValue(2);
        assertThatThrownBy(() -> new TextCodec(List.of())).isInstanceOf(BonsaiException.class)
                .hasMessageContaining("no vocabulary");
    }
}
