package dev.bonsai.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.reports.store.ResultsStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which trials were recorded after a point in a results file: only lines appended later, and only whole ones. */
class AppendedRecordsTest {

    private static TrialRecord record(String id, String status) {
        return new TrialRecord("e", id, status, TrialRecord.OK.equals(status) ? null : "boom", "mlp", "synthetic",
                "magnitude", "global", "unstructured", "one-shot", 0.5, 0.5, 100, 50, 1, "djl", "cpu", Map.of(),
                Map.of(), Map.of());
    }

    @Test
    void onlyRecordsAppendedAfterwardsCount(@TempDir Path dir) throws Exception {
        ResultsStore store = ResultsStore.in(dir);
        store.append(record("before", TrialRecord.OK));
        AppendedRecords appended = AppendedRecords.from(store.file());
        assertThat(appended.contains("before")).isFalse();

        store.append(record("failed", TrialRecord.FAILED));
        store.append(record("after", TrialRecord.OK));
        assertThat(appended.contains("after")).isTrue();
        assertThat(appended.contains("failed")).as("a failed record is a record too").isTrue();
        assertThat(appended.contains("before")).isFalse();
        store.append(record("before", TrialRecord.OK));
        assertThat(appended.contains("before")).as("recorded again later").isTrue();
    }

    @Test
    void aFileMadeLaterCountsWholeAndALineBeingWrittenCountsOnceComplete(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(ResultsStore.FILE_NAME);
        AppendedRecords appended = AppendedRecords.from(file);
        assertThat(appended.contains("x")).isFalse();

        String line = ResultsStore.toJson(record("x", TrialRecord.OK)) + "\n";
        int half = line.length() / 2;
        Files.writeString(file, "not json\n" + line.substring(0, half), StandardCharsets.UTF_8);
        assertThat(appended.contains("x")).as("half a line").isFalse();
        Files.writeString(file, line.substring(half), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertThat(appended.contains("x")).isTrue();
    }
}
