package dev.bonsai.datasets.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.data.Tokenizer;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PerplexityWindowsTest {

    private static int[] range(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    @Test
    void evaluationWindowsAreEndToEndFromZeroWithContextMinusOnePredictions() {
        int[] stream = range(23);
        Split s = PerplexityWindows.evaluation("test", stream, 5, "here");

        // windows [0..4], [5..9], [10..14], [15..19]; the tail 20..22 is dropped
        assertThat(s.size()).isEqualTo(4);
        assertThat(s.sampleShape().size()).isEqualTo(4);
        assertThat(s.labelsPerSample()).isEqualTo(4);
        for (int w = 0; w < 4; w++) {
            for (int t = 0; t < 4; t++) {
                assertThat(s.value(w, t)).isEqualTo(5f * w + t);
                assertThat(s.label(w, t)).isEqualTo(5 * w + t + 1);
            }
        }
        assertThat(PerplexityWindows.evaluationWindows(23, 5)).isEqualTo(4);
        assertThat(PerplexityWindows.evaluation("test", range(25), 5, "here").size()).isEqualTo(5);
    }

    @Test
    void calibrationWindowsStartWhereverAWholeWindowFits() {
        Split every = PerplexityWindows.calibration("train", range(12), 5, 1, "here");
        // starts 0..7: 12 - 5 + 1 of them; the last window's last token (11) is the last label
        assertThat(every.size()).isEqualTo(8);
        assertThat(every.value(7, 0)).isEqualTo(7f);
        assertThat(every.label(7, 3)).isEqualTo(11);

        Split strided = PerplexityWindows.calibration("train", range(12), 5, 3, "here");
        assertThat(strided.size()).isEqualTo(3); // starts 0, 3, 6
        assertThat(strided.value(2, 0)).isEqualTo(6f);
    }

    @Test
    void refusesStreamsShorterThanAWindowAndContextsTheModelCannotRead() {
        assertThatThrownBy(() -> PerplexityWindows.evaluation("test", range(4), 5, "data (file)"))
                .isInstanceOf(BonsaiException.class)
                .hasMessage("data (file): the test split has 4 tokens, fewer than one window of 5; use a smaller "
                        + "context");
        assertThat(PerplexityWindows.context(0, 512, "d")).isEqualTo(512);
        assertThat(PerplexityWindows.context(256, 512, "d")).isEqualTo(256);
        assertThatThrownBy(() -> PerplexityWindows.context(1024, 512, "d"))
                .hasMessageContaining("longer than the model's context of 512").hasMessageContaining("at most 512");
        assertThatThrownBy(() -> PerplexityWindows.context(1, 512, "d")).hasMessageContaining("at least 2");
    }

    @Test
    void aStreamIsEachDocumentsBosAndTokens() {
        Tokenizer letters = new Letters(OptionalInt.of(0));
        assertThat(PerplexityWindows.stream(List.of("ab", "c"), letters)).containsExactly(0, 1, 2, 0, 3);
        assertThat(PerplexityWindows.stream(List.of("ab", "c"), new Letters(OptionalInt.empty())))
                .containsExactly(1, 2, 3);
    }

    /** A tokenizer of lower-case letters: 'a' is 1, ..., 'z' is 26; 0 is the BOS where there is one. */
    record Letters(OptionalInt bos) implements Tokenizer {
        @Override
        public int vocabularySize() {
            return 27;
        }

        @Override
        public int[] encode(String text) {
            return text.chars().map(c -> c - 'a' + 1).toArray();
        }

        @Override
        public String decode(int[] ids) {
            StringBuilder out = new StringBuilder();
            for (int id : ids) {
                if (id > 0) {
                    out.append((char) ('a' + id - 1));
                }
            }
            return out.toString();
        }

        @Override
        public String piece(int id) {
            return id == 0 ? "<s>" : String.valueOf((char) ('a' + id - 1));
        }

        @Override
        public OptionalInt eos() {
            return OptionalInt.empty();
        }
    }
}
