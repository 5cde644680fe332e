package dev.bonsai.datasets.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.data.DataFile;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.model.Shape;
import dev.bonsai.datasets.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyShakespeareTest {
    @TempDir
    Path dir;
    @TempDir
    Path cache;

    @Test
    void splitsByPositionAndShiftsTargets() throws IOException {
        String text = "abcdefghij".repeat(10); // 100 characters: 90 train, 10 test
        DataFile file = Fixtures.write(dir, "input.txt", text.getBytes(StandardCharsets.UTF_8));

        Dataset d = new TinyShakespeareProvider(file).load(new TinyShakespeareOptions(4, Optional.empty()),
                Fixtures.folder(dir, cache));

        assertThat(d.info().vocabulary()).containsExactly("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        assertThat(d.info().classes()).isEqualTo(10);
        assertThat(d.info().sampleShape()).isEqualTo(Shape.of(4));
        assertThat(d.info().sha256()).containsEntry("input.txt", file.sha256());
        assertThat(d.train().size()).isEqualTo((90 - 5) / 4 + 1);
        assertThat(d.test().size()).isEqualTo((10 - 5) / 4 + 1);
        assertThat(d.train().labelsPerSample()).isEqualTo(4);
        assertThat(d.train().features()).startsWith(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(d.train().labels()).startsWith(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(d.test().features()).startsWith(0, 1, 2, 3); // the test part starts at character 90, an 'a'

        Dataset strided = new TinyShakespeareProvider(file).load(new TinyShakespeareOptions(4, Optional.of(1)),
                Fixtures.folder(dir, cache));
        assertThat(strided.train().size()).isEqualTo(86);
    }

    @Test
    void loadsTheRealFile() {
        Path root = Fixtures.realData("Tiny Shakespeare", "tinyshakespeare/input.txt");

        Dataset d = new TinyShakespeareProvider().load(TinyShakespeareOptions.defaults(), Fixtures.root(root, cache));

        assertThat(d.info().classes()).isEqualTo(65);
        assertThat(d.info().vocabulary()).hasSize(65).startsWith("\n", " ", "!").endsWith("x", "y", "z");
        int trainChars = (int) (1_115_394 * 0.9);
        assertThat(trainChars).isEqualTo(1_003_854);
        assertThat(d.train().size()).isEqualTo(TextCorpus.windowCount(trainChars, 64, 64));
        assertThat(d.test().size()).isEqualTo(TextCorpus.windowCount(1_115_394 - trainChars, 64, 64));
        // the characters are held once, 2 bytes each (2.0 MB), not as 64-float windows and 64-int targets (8.0 MB)
        assertThat(d.train().isCompact()).isTrue();
        assertThat(d.train().heldBytes()).isEqualTo(2L * trainChars);
        assertThat(d.train().label(0, 0)).isEqualTo((int) d.train().value(0, 1));
        assertThat(d.train().labels()).hasSize(d.train().size() * 64);
        // "First Citizen:" starts the file
        String first = d.info().vocabulary().get((int) d.train().features()[0])
                + d.info().vocabulary().get((int) d.train().features()[1]);
        assertThat(first).isEqualTo("Fi");
        assertThat(cache).isEmptyDirectory();
    }
}
