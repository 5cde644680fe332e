package dev.bonsai.reports.csv;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.bonsai.api.NoOptions;
import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.reports.Records;
import dev.bonsai.reports.store.ResultsStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReportWriterTest {
    @TempDir
    Path dir;

    private static List<TrialRecord> records() {
        Map<String, Double> odd = new LinkedHashMap<>();
        odd.put("test_accuracy", 0.1 + 0.2);
        odd.put("test_loss", Double.NaN);
        odd.put("grad_norm", Double.POSITIVE_INFINITY);
        odd.put("tiny", 4.9E-324);
        return List.of(
                Records.ok("a", "magnitude", 0.5, 1, Records.accuracies(0.98123, 0.9012345678901234, 0.97)),
                new TrialRecord("exp, \"quoted\"", "b", TrialRecord.FAILED, "line one\r\nline two, with \"quotes\"",
                        null, "mnist", "obd", "global", "2:4", "iterative", 0.95, Double.NEGATIVE_INFINITY, 266_610,
                        13_331, -9_007_199_254_740_993L, "djl", "cuda", odd, Map.of("total", 1e-9),
                        Map.of("os", " leading and trailing ", "git_revision", "cafe")),
                Records.ok("c", "random", 0.9, 2, Map.of()));
    }

    @Test
    void oneRowPerRecordWithValuesThatParseBackToTheSameDoubles() throws IOException {
        List<TrialRecord> records = records();
        List<Path> written = new CsvReportWriter().write(records, dir, new NoOptions());
        assertThat(written).containsExactly(dir.resolve("results.csv"));

        String text = Files.readString(written.get(0), StandardCharsets.UTF_8);
        List<List<String>> rows = parse(text);
        assertThat(rows).hasSize(1 + records.size());
        List<String> header = rows.get(0);
        List<String> expectedHeader = new ArrayList<>(ResultsStore.FIELD_NAMES.subList(0, 17));
        expectedHeader.addAll(List.of("metric.dense_test_accuracy", "metric.grad_norm", "metric.pruned_test_accuracy",
                "metric.test_accuracy", "metric.test_loss", "metric.tiny", "time.total", "time.train",
                "provenance.bonsai_version", "provenance.dataset_sha256", "provenance.git_revision", "provenance.os"));
        assertThat(header).isEqualTo(expectedHeader);
        assertThat(CsvReportWriter.scalarColumns()).isEqualTo(ResultsStore.FIELD_NAMES.subList(0, 17));

        for (int i = 0; i < records.size(); i++) {
            TrialRecord r = records.get(i);
            Map<String, String> row = new HashMap<>();
            for (int c = 0; c < header.size(); c++) {
                row.put(header.get(c), rows.get(i + 1).get(c));
            }
            assertThat(row.get("experiment")).isEqualTo(r.experiment());
            assertThat(row.get("trial_id")).isEqualTo(r.trialId());
            assertThat(row.get("error")).isEqualTo(r.error() == null ? "" : r.error());
            assertThat(row.get("model")).isEqualTo(r.model() == null ? "" : r.model());
            assertSameDouble(row.get("target_sparsity"), r.targetSparsity());
            assertSameDouble(row.get("achieved_sparsity"), r.achievedSparsity());
            assertThat(Long.parseLong(row.get("total_parameters"))).isEqualTo(r.totalParameters());
            assertThat(Long.parseLong(row.get("nonzero_parameters"))).isEqualTo(r.nonzeroParameters());
            assertThat(Long.parseLong(row.get("seed"))).isEqualTo(r.seed());
            for (String column : header) {
                if (column.startsWith("metric.")) {
                    Double value = r.metrics().get(column.substring(7));
                    if (value == null) {
                        assertThat(row.get(column)).as(column).isEmpty();
                    } else {
                        assertSameDouble(row.get(column), value);
                    }
                } else if (column.startsWith("time.")) {
                    Double value = r.timings().get(column.substring(5));
                    if (value != null) {
                        assertSameDouble(row.get(column), value);
                    }
                } else if (column.startsWith("provenance.")) {
                    String value = r.provenance().get(column.substring(11));
                    assertThat(row.get(column)).as(column).isEqualTo(value == null ? "" : value);
                }
            }
        }
    }

    @Test
    void numbersAreWrittenExactlyAsInTheJsonLines() throws IOException {
        List<TrialRecord> records = records();
        List<List<String>> rows = parse(CsvReportWriter.render(records));
        List<String> header = rows.get(0);
        JsonFactory json = new JsonFactory();
        for (int i = 0; i < records.size(); i++) {
            Map<String, String> fromJson = numberTexts(json, ResultsStore.toJson(records.get(i)));
            for (Map.Entry<String, String> e : fromJson.entrySet()) {
                String column = e.getKey().replace("metrics.", "metric.").replace("timings.", "time.");
                int c = header.indexOf(column);
                assertThat(c).as(column).isNotNegative();
                assertThat(rows.get(i + 1).get(c)).as(column).isEqualTo(e.getValue());
            }
        }
    }

    @Test
    void rfc4180Quoting() {
        StringBuilder out = new StringBuilder();
        CsvReportWriter.field(out, "a,b");
        out.append('|');
        CsvReportWriter.field(out, "say \"hi\"");
        out.append('|');
        CsvReportWriter.field(out, "plain");
        out.append('|');
        CsvReportWriter.field(out, null);
        assertThat(out.toString()).isEqualTo("\"a,b\"|\"say \"\"hi\"\"\"|plain|");
        assertThat(CsvReportWriter.render(List.of())).isEqualTo(String.join(",", ResultsStore.FIELD_NAMES.subList(0,
                17)) + "\r\n");
        assertThat(CsvReportWriter.render(records())).contains("\r\n").doesNotContain("\n\n");
    }

    private static void assertSameDouble(String text, double expected) {
        assertThat(Double.doubleToRawLongBits(Double.parseDouble(text))).as(text)
                .isEqualTo(Double.doubleToRawLongBits(expected));
    }

    /** The text of every number (and non-finite string) in a record's JSON, by dotted path. */
    private static Map<String, String> numberTexts(JsonFactory json, String line) throws IOException {
        Map<String, String> texts = new LinkedHashMap<>();
        try (JsonParser p = json.createParser(line)) {
            String object = "";
            int depth = 0;
            String field = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case START_OBJECT -> {
                        depth++;
                        if (depth == 2) {
                            object = field + ".";
                        }
                    }
                    case END_OBJECT -> {
                        depth--;
                        object = "";
                    }
                    case FIELD_NAME -> field = p.currentName();
                    case VALUE_NUMBER_FLOAT, VALUE_NUMBER_INT -> texts.put(object + field, p.getText());
                    case VALUE_STRING -> {
                        if (List.of("NaN", "Infinity", "-Infinity").contains(p.getText())) {
                            texts.put(object + field, p.getText());
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        return texts;
    }

    /** A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes and embedded line breaks. */
    private static List<List<String>> parse(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                assertThat(field).as("quote inside an unquoted field").isEmpty();
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                assertThat(c).as("bare line break").isNotIn('\r', '\n');
                field.append(c);
            }
        }
        assertThat(quoted).as("unterminated quote").isFalse();
        assertThat(row).as("last record ends with CRLF").isEmpty();
        assertThat(field).isEmpty();
        for (List<String> r : rows) {
            assertThat(r).hasSameSizeAs(rows.get(0));
        }
        return rows;
    }
}
