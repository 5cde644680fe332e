package dev.bonsai.datasets.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.model.Shape;
import dev.bonsai.datasets.Fixtures;
import dev.bonsai.datasets.files.DataFileResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvProviderTest {
    @TempDir
    Path dir;
    @TempDir
    Path cache;

    private static CsvOptions options(String file, Optional<String> test, String label, Optional<Boolean> header,
            String delimiter, boolean normalize) {
        return new CsvOptions(file, test, label, header, delimiter, 0.2, normalize);
    }

    private Dataset load(CsvOptions options) {
        return new CsvProvider().load(options, Fixtures.folder(dir, cache));
    }

    @Test
    void headerAutoDetectedLabelByNameAndLastRowsAsTest() throws IOException {
        Path file = Files.writeString(dir.resolve("iris.csv"), """
                sepal,species,petal
                1.0,setosa,2.5
                2.0,virginica,3.5

                3.0,setosa,4.5
                4.0,versicolor,5.5
                5.0,"virginica",6.5
                """);

        Dataset d = load(options("iris.csv", Optional.empty(), "species", Optional.empty(), ",", false));

        assertThat(d.info().sampleShape()).isEqualTo(Shape.of(2));
        assertThat(d.info().classes()).isEqualTo(3);
        assertThat(d.train().size()).isEqualTo(4);
        assertThat(d.test().size()).isEqualTo(1);
        assertThat(d.train().features()).containsExactly(1, 2.5f, 2, 3.5f, 3, 4.5f, 4, 5.5f);
        assertThat(d.train().labels()).containsExactly(0, 2, 0, 1); // setosa, versicolor, virginica in sorted order
        assertThat(d.test().labels()).containsExactly(2);
        assertThat(d.info().sha256()).containsEntry(file.toString(), DataFileResolver.sha256(file));
    }

    @Test
    void noHeaderIntegerLabelsTabsTestFileAndNormalisation() throws IOException {
        Files.writeString(dir.resolve("train.tsv"), "0\t1\t10\n1\t3\t30\n2\t5\t50\n");
        Files.writeString(dir.resolve("test.tsv"), "4\t3\t30\n");

        Dataset d = load(options("train.tsv", Optional.of("test.tsv"), "first", Optional.empty(), "\\t", true));

        assertThat(d.info().classes()).isEqualTo(5);
        assertThat(d.train().labels()).containsExactly(0, 1, 2);
        assertThat(d.test().labels()).containsExactly(4);
        float[] f = d.train().features();
        assertThat(f[0]).isCloseTo(-1.2247f, within(1e-3f));
        assertThat(f[2]).isCloseTo(0f, within(1e-6f));
        assertThat(d.test().features()).containsExactly(0f, 0f);
    }

    @Test
    void aMissingColumnNamesFileLineAndColumn() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.csv"), "a,b,label\n1,2,0\n3,1\n");

        assertThatThrownBy(() -> load(options("bad.csv", Optional.empty(), "last", Optional.empty(), ",", false)))
                .isInstanceOf(BonsaiException.class).hasMessageContaining(file.toString())
                .hasMessageContaining("line 3").hasMessageContaining("expected 3 fields")
                .hasMessageContaining("found 2").hasMessageContaining("column 3, 'label' is missing");
    }

    @Test
    void aNonNumberNamesLineColumnAndField() throws IOException {
        Files.writeString(dir.resolve("bad.csv"), "a,b,label\n1,2,0\n3,x7,1\n4,5,1\n");

        assertThatThrownBy(() -> load(options("bad.csv", Optional.empty(), "label", Optional.of(true), ",", false)))
                .hasMessageContaining("line 3, column 3 (field 2, 'b'): expected a number, found 'x7'");
    }

    @Test
    void unknownLabelColumnEmptyFileAndBadDelimiter() throws IOException {
        Files.writeString(dir.resolve("t.csv"), "a,b\n1,2\n3,4\n");
        assertThatThrownBy(() -> load(options("t.csv", Optional.empty(), "y", Optional.empty(), ",", false)))
                .hasMessageContaining("has no column 'y' (columns: a, b)");
        Files.writeString(dir.resolve("empty.csv"), "\n\n");
        assertThatThrownBy(() -> load(options("empty.csv", Optional.empty(), "last", Optional.empty(), ",",
                false))).hasMessageContaining("is empty");
        assertThatThrownBy(() -> load(options("t.csv", Optional.empty(), "last", Optional.empty(), ";;",
                false))).hasMessageContaining("one character");
    }

    @Test
    void testFileWithOtherColumnsIsAnError() throws IOException {
        Files.writeString(dir.resolve("a.csv"), "1,2,0\n3,4,1\n");
        Files.writeString(dir.resolve("b.csv"), "1,0\n");
        assertThatThrownBy(() -> load(options("a.csv", Optional.of("b.csv"), "last", Optional.of(false), ",",
                false))).hasMessageContaining("b.csv has 2 columns");
    }
}
