package dev.bonsai.reports.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.Spi;
import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.reports.Records;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SingleFileReportWriterTest {
    @TempDir
    Path dir;

    /** Writes the trial ids, one a line; refuses a record without a strategy. */
    private static final class IdsWriter extends SingleFileReportWriter<NoOptions> {
        IdsWriter() {
            super("ids", "ids.txt", NoOptions.class, "ids.txt: the trial ids");
        }

        @Override
        protected String text(List<TrialRecord> records, NoOptions options) {
            StringBuilder b = new StringBuilder();
            for (TrialRecord r : records) {
                if (r.strategy() == null) {
                    throw new IllegalArgumentException("trial " + r.trialId() + " has no strategy");
                }
                b.append(r.trialId()).append('\n');
            }
            return b.toString();
        }
    }

    @Test
    void writesTheOneFileItNamesAndDescribesItself() throws IOException {
        IdsWriter writer = new IdsWriter();
        List<Path> written = writer.write(List.of(Records.ok("a", "obd", 0.5, 1, Records.accuracies(1, 1, 1)),
                Records.ok("b", "obd", 0.5, 2, Records.accuracies(1, 1, 1))), dir, new NoOptions());

        assertThat(written).containsExactly(dir.resolve("ids.txt"));
        assertThat(Files.readString(written.get(0))).isEqualTo("a\nb\n");
        assertThat(writer.id()).isEqualTo("ids");
        assertThat(writer.description()).isEqualTo("ids.txt: the trial ids");
        assertThat(writer.optionsType()).isEqualTo(NoOptions.class);
        assertThat(writer.spiVersion()).isEqualTo(Spi.VERSION);
    }

    @Test
    void aRenderingThatFailsLeavesNoFile() throws IOException {
        TrialRecord bad = Records.ok("c", null, 0.5, 1, Records.accuracies(1, 1, 1));

        assertThatThrownBy(() -> new IdsWriter().write(List.of(bad), dir, new NoOptions()))
                .hasMessageContaining("trial c has no strategy");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
