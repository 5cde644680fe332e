package dev.bonsai.datasets.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.datasets.Fixtures;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WikiText2RawTest {
    @TempDir
    Path cache;

    @Test
    void theTestStreamIsTheJoinedHuggingFaceRowsEncodedOnce() {
        Path root = Fixtures.realData("WikiText-2 raw", "wikitext-2-raw/wiki.test.raw");
        WikiText2RawProvider p = new WikiText2RawProvider();

        Dataset d = p.load(new WikiText2RawOptions(Optional.of(256), 1), Fixtures.root(root, cache),
                Tok512.tokenizer(), 512);

        // computed independently in Python: rows as the Hugging Face wikitext script makes them (4,358 lines),
        // "\n\n".join(rows) (1,294,336 characters), the yardstick's llama2.c encode with BOS: 815,070 tokens,
        // beginning 1, 410, 13, 13, 410, 64 (BOS, " ", "\n", "\n", " ", "=")
        assertThat(d.test().size()).isEqualTo(815_070 / 256);
        assertThat(d.test().labelsPerSample()).isEqualTo(255);
        assertThat(new float[] {d.test().value(0, 0), d.test().value(0, 1), d.test().value(0, 2),
            d.test().value(0, 3), d.test().value(0, 4), d.test().value(0, 5)}).containsExactly(1, 410, 13, 13, 410, 64);
        // the calibration stream: " ".join of wiki.valid.raw's rows (no training file here), 718,059 tokens
        assertThat(d.train().size()).isEqualTo(718_059 - 256 + 1);
        assertThat(d.info().sha256()).containsOnlyKeys("wiki.valid.raw", "wiki.test.raw");
        assertThat(p.protocol(WikiText2RawOptions.defaults(), 2048)).contains("windows of 2048 tokens")
                .contains("2047 predictions");
    }

    @Test
    void withoutATokenizerItRefusesPointingAtTheWordLevelDataset() {
        assertThatThrownBy(() -> new WikiText2RawProvider().load(WikiText2RawOptions.defaults(), null))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("'wikitext-2' with variant: raw");
    }
}
