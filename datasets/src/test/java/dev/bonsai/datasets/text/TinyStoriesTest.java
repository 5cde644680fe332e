package dev.bonsai.datasets.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.datasets.Fixtures;
import dev.bonsai.models.tokenizers.SentencePieceBpe;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyStoriesTest {
    @TempDir
    Path cache;

    @Test
    void theTestSplitHasThePeersWindowsAndPredictions() {
        Path root = Fixtures.realData("TinyStories", "tinystories/tinystories_val.txt");
        SentencePieceBpe tok512 = Tok512.tokenizer();

        Dataset d = new TinyStoriesProvider().load(new TinyStoriesOptions(Optional.of(256), 1),
                Fixtures.root(root, cache), tok512, 512);

        // the PyTorch yardstick (dense, ctx 256) prints test_windows 1197 and test_tokens (predictions) 305235, from
        // 4,300 documents: 860 calibrate (a stream of 78,491 tokens), 3,440 test (306,471 tokens): 384,962 in all
        assertThat(d.test().size()).isEqualTo(1197);
        assertThat((long) d.test().size() * d.test().labelsPerSample()).isEqualTo(305_235);
        assertThat(d.train().size()).isEqualTo(78_491 - 256 + 1);
        assertThat(d.info().sampleShape().size()).isEqualTo(255);
        assertThat(d.info().classes()).isEqualTo(512);
        assertThat(d.info().vocabulary()).isEmpty();
        assertThat(d.info().sha256()).containsEntry("tinystories_val.txt", TinyStoriesProvider.FILE.sha256());
        // each window starts a document's BOS at the stream's start, and its labels are its tokens shifted by one
        assertThat(d.test().value(0, 0)).isEqualTo(1f);
        assertThat(d.train().value(0, 0)).isEqualTo(1f);
        for (int t = 0; t < 254; t++) {
            assertThat(d.test().label(3, t)).isEqualTo((int) d.test().value(3, t + 1));
        }
        assertThat(cache).isEmptyDirectory();
    }

    @Test
    void theWholeStreamHasTheReadmesLength() {
        Path root = Fixtures.realData("TinyStories", "tinystories/tinystories_val.txt");
        SentencePieceBpe tok512 = Tok512.tokenizer();
        List<String> documents = TextDocuments.paragraphs(TextCorpus.readUtf8(
                root.resolve("tinystories/tinystories_val.txt")));

        assertThat(documents).hasSize(4300);
        assertThat(TinyStoriesProvider.calibrationDocuments(documents.size())).isEqualTo(860);
        assertThat(documents.get(0)).startsWith("Spot. Spot saw the shiny car");
        int[] stream = PerplexityWindows.stream(documents, tok512);
        assertThat(stream).hasSize(384_962);
        assertThat(PerplexityWindows.stream(documents.subList(0, 860), tok512)).hasSize(78_491);
    }

    @Test
    void theModelsContextIsTheDefaultWindowAndTheLimit() {
        Path root = Fixtures.realData("TinyStories", "tinystories/tinystories_val.txt");
        SentencePieceBpe tok512 = Tok512.tokenizer();
        TinyStoriesProvider p = new TinyStoriesProvider();

        Dataset d = p.load(TinyStoriesOptions.defaults(), Fixtures.root(root, cache), tok512, 512);
        assertThat(d.test().size()).isEqualTo(306_471 / 512);
        assertThat(d.test().labelsPerSample()).isEqualTo(511);
        assertThat(p.protocol(TinyStoriesOptions.defaults(), 512)).contains("windows of 512 tokens")
                .contains("511 predictions").contains("first 20%");
        assertThatThrownBy(() -> p.load(new TinyStoriesOptions(Optional.of(1024), 1), Fixtures.root(root, cache),
                tok512, 512)).isInstanceOf(BonsaiException.class).hasMessageContaining("model's context of 512");
    }

    @Test
    void withoutATokenizerItRefusesSayingWhatToUse() {
        assertThatThrownBy(() -> new TinyStoriesProvider().load(TinyStoriesOptions.defaults(), null))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("pretrained model's own tokens")
                .hasMessageContaining("model: pretrained");
    }
}
