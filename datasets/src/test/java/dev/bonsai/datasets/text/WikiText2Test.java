package dev.bonsai.datasets.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.data.Dataset;
import dev.bonsai.datasets.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WikiText2Test {
    @TempDir
    Path cache;
    @TempDir
    Path copy;

    @Test
    void declaresTheVariantsFiles() {
        WikiText2Provider p = new WikiText2Provider();
        assertThat(p.files(WikiTextOptions.defaults())).extracting(f -> f.path())
                .containsExactly("wiki.valid.tokens", "wiki.test.tokens");
        assertThat(p.files(new WikiTextOptions(WikiTextOptions.Variant.RAW, 64, Optional.empty())))
                .extracting(f -> f.path()).containsExactly("wiki.valid.raw", "wiki.test.raw");
        assertThat(WikiText2Provider.folder(WikiTextOptions.Variant.RAW)).isEqualTo("wikitext-2-raw");
    }

    @Test
    void withoutTrainItTrainsOnValidationWithItsVocabulary() {
        Path root = Fixtures.realData("WikiText-2", "wikitext-2/wiki.valid.tokens");

        Dataset d = new WikiText2Provider().load(new WikiTextOptions(WikiTextOptions.Variant.TOKENS, 64,
                Optional.of(1)), Fixtures.root(root, cache));

        // 217,646 validation tokens (one <eos> per line); with stride 1 every start that has 64 successors
        assertThat(d.train().size()).isEqualTo(217_646 - 64);
        assertThat(d.test().size()).isEqualTo(245_569 - 64);
        assertThat(d.info().vocabulary()).contains("<eos>", "<unk>");
        assertThat(d.info().classes()).isEqualTo(d.info().vocabulary().size());
        assertThat(d.info().sha256()).containsOnlyKeys("wiki.valid.tokens", "wiki.test.tokens");
        int max = 0;
        for (int l : d.test().labels()) {
            max = Math.max(max, l);
        }
        assertThat(max).isLessThan(d.info().classes());
        assertThat(cache).isEmptyDirectory();
    }

    @Test
    void rawVariantLoadsFromItsOwnFolder() {
        Path root = Fixtures.realData("WikiText-2 raw", "wikitext-2-raw/wiki.valid.raw");

        Dataset d = new WikiText2Provider().load(new WikiTextOptions(WikiTextOptions.Variant.RAW, 32,
                Optional.of(1)), Fixtures.root(root, cache));

        assertThat(d.train().size()).isEqualTo(217_646 - 32);
        assertThat(d.test().size()).isEqualTo(245_569 - 32);
    }

    @Test
    void aTrainFileBesideTheOthersIsUsedForTrainingAndVocabulary() throws IOException {
        Path root = Fixtures.realData("WikiText-2", "wikitext-2/wiki.valid.tokens");
        Path folder = Files.createDirectories(copy.resolve("wikitext-2"));
        Files.copy(root.resolve("wikitext-2/wiki.valid.tokens"), folder.resolve("wiki.valid.tokens"));
        Files.copy(root.resolve("wikitext-2/wiki.test.tokens"), folder.resolve("wiki.test.tokens"));
        Files.writeString(folder.resolve("wiki.train.tokens"), " = Robert = \n the cat sat on the mat \n".repeat(20));

        Dataset d = new WikiText2Provider().load(new WikiTextOptions(WikiTextOptions.Variant.TOKENS, 8,
                Optional.empty()), Fixtures.root(copy, cache));

        assertThat(d.info().vocabulary()).containsExactly("=", "Robert", "<eos>", "the", "cat", "sat", "on", "mat",
                "<unk>");
        assertThat(d.info().sha256()).containsKeys("wiki.train.tokens", "wiki.test.tokens")
                .doesNotContainKey("wiki.valid.tokens");
        assertThat(d.train().size()).isEqualTo((20 * 11 - 9) / 8 + 1);
        assertThat(d.test().size()).isEqualTo((245_569 - 9) / 8 + 1);
    }
}
