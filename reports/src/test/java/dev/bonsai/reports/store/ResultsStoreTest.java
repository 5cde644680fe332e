package dev.bonsai.reports.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.reports.LogCapture;
import dev.bonsai.reports.Records;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static TrialRecord full() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("test_accuracy", 0.9792);
        metrics.put("test_loss", Double.NaN);
        metrics.put("pruned_test_accuracy", 0.1 + 0.2); // 0.30000000000000004: needs every digit
        metrics.put("dense_test_accuracy", 1.0E-7);
        metrics.put("zz_up", Double.POSITIVE_INFINITY);
        metrics.put("aa_down", Double.NEGATIVE_INFINITY);
        metrics.put("neg_zero", -0.0);
        return new TrialRecord("obd-vs-magnitude", "t-0001", TrialRecord.OK, null, "lenet-300-100", "mnist", "obd",
                "global", "2:4", "iterative", 0.9, 0.8999999999999999, 266_610L, 26_661L, Long.MAX_VALUE, "djl",
                "cuda:0", metrics, Map.of("train", 12.25, "total", 20.5, "load", 0.125),
                Map.of("git_revision", "deadbeef", "dataset_sha256", "ab12", "os", "Linux \"6.1\" ünïcödé\ttab"));
    }

    private static TrialRecord failedWithNulls() {
        return new TrialRecord("obd-vs-magnitude", "t-0002", TrialRecord.FAILED, "CUDA out of memory\nat fc1, \"x\"",
                null, null, null, null, null, null, Double.NaN, Double.NEGATIVE_INFINITY, 0, 0, -3, null, null,
                Map.of(), Map.of(), Map.of());
    }

    @Test
    void roundTripPreservesEveryField() throws IOException {
        ResultsStore store = ResultsStore.in(dir.resolve("out"));
        List<TrialRecord> written = List.of(full(), failedWithNulls(),
                Records.ok("t-0003", "magnitude", 0.5, 7, Records.accuracies(0.98, 0.95, 0.975)));
        for (TrialRecord r : written) {
            store.append(r);
        }

        List<DamagedLine> damaged = new ArrayList<>();
        List<TrialRecord> read = ResultsStore.read(dir.resolve("out").resolve("results.jsonl"), damaged::add);

        assertThat(damaged).isEmpty();
        // records compare doubles by their bits (Double.compare / Double.equals): NaN, ±∞ and -0.0 included
        assertThat(read).containsExactlyElementsOf(written);
        assertThat(read.get(0).metrics().get("test_loss")).isNaN();
        assertThat(read.get(0).metrics().get("pruned_test_accuracy")).isEqualTo(0.30000000000000004);
        assertThat(Double.doubleToRawLongBits(read.get(0).metrics().get("neg_zero")))
                .isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(read.get(1).error()).isEqualTo("CUDA out of memory\nat fc1, \"x\"");
        assertThat(read.get(0).error()).isNull();
        assertThat(read.get(1).model()).isNull();
        assertThat(store.read()).containsExactlyElementsOf(written);
        assertThat(ResultsStore.fromJson(ResultsStore.toJson(full()))).isEqualTo(full());
    }

    @Test
    void writesOneLinePerRecordWithExactlyTheSnakeCaseFieldsInRecordOrder() throws IOException {
        ResultsStore store = ResultsStore.in(dir);
        store.append(full());
        store.append(failedWithNulls());

        List<String> lines = Files.readAllLines(store.file(), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2);
        List<String> expected = List.of("experiment", "trial_id", "status", "error", "model", "dataset", "strategy",
                "scope", "structure", "schedule", "target_sparsity", "achieved_sparsity", "total_parameters",
                "nonzero_parameters", "seed", "engine", "device", "metrics", "timings", "provenance");
        List<String> fromComponents = Arrays.stream(TrialRecord.class.getRecordComponents())
                .map(RecordComponent::getName).map(ResultsStoreTest::snake).toList();
        assertThat(fromComponents).isEqualTo(expected);
        assertThat(ResultsStore.FIELD_NAMES).isEqualTo(expected);
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            assertThat(names).isEqualTo(expected);
        }

        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.get("error").isNull()).isTrue();
        assertThat(first.get("seed").asLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(first.get("metrics").get("test_loss").asText()).isEqualTo("NaN");
        assertThat(first.get("metrics").get("zz_up").asText()).isEqualTo("Infinity");
        assertThat(first.get("metrics").get("aa_down").asText()).isEqualTo("-Infinity");
        assertThat(first.get("metrics").get("test_accuracy").isNumber()).isTrue();
        for (String map : List.of("metrics", "timings", "provenance")) {
            List<String> keys = new ArrayList<>();
            first.get(map).fieldNames().forEachRemaining(keys::add);
            assertThat(keys).as(map).isSorted().isNotEmpty();
        }
        // equal records give equal lines whatever the maps' iteration order
        assertThat(ResultsStore.toJson(full())).isEqualTo(lines.get(0));
    }

    @Test
    void damagedLinesAreSkippedAndReportedWhileGoodOnesAreReturned() throws IOException {
        TrialRecord a = Records.ok("a", "magnitude", 0.5, 1, Records.accuracies(0.98, 0.9, 0.97));
        TrialRecord b = Records.ok("b", "magnitude", 0.9, 1, Records.accuracies(0.98, 0.5, 0.96));
        TrialRecord c = Records.ok("c", "random", 0.9, 2, Records.accuracies(0.98, 0.1, 0.90));
        String bLine = ResultsStore.toJson(b);
        String content = ResultsStore.toJson(a) + "\n"
                + "{\"experiment\":\"exp\",\"trial_id\":\"x\",\"sta\n"                   // 2: cut short
                + "\n"                                                                   // 3: blank, ignored
                + ResultsStore.toJson(c) + "\n"                                          // 4: good
                + ResultsStore.toJson(c).replace("\"seed\":2", "\"seed\":\"two\"") + "\n" // 5: wrong type
                + "[1,2,3]\n"                                                            // 6: not an object
                + bLine.substring(0, bLine.length() / 2);                                // 7: half line at the end
        Path file = dir.resolve("results.jsonl");
        Files.writeString(file, content, StandardCharsets.UTF_8);

        List<DamagedLine> damaged = new ArrayList<>();
        List<TrialRecord> read;
        try (LogCapture log = LogCapture.of(ResultsStore.class)) {
            read = ResultsStore.read(file, damaged::add);
            assertThat(log.messages(Level.WARN)).hasSize(4)
                    .allSatisfy(m -> assertThat(m).contains(file.toString()));
        }

        assertThat(read).containsExactly(a, c);
        assertThat(damaged).extracting(DamagedLine::lineNumber).containsExactly(2L, 5L, 6L, 7L);
        assertThat(damaged.get(0).reason()).contains("not valid JSON");
        assertThat(damaged.get(1).reason()).contains("seed");
        assertThat(damaged.get(2).reason()).contains("not a JSON object");
        assertThat(damaged.get(3).reason()).contains("incomplete last line");
        assertThat(damaged).allSatisfy(d -> assertThat(d.file()).isEqualTo(file));
    }

    @Test
    void aCompleteRecordWithoutItsLineBreakIsStillAPartialLine() throws IOException {
        TrialRecord a = Records.ok("a", "magnitude", 0.5, 1, Records.accuracies(0.98, 0.9, 0.97));
        Path file = dir.resolve("results.jsonl");
        Files.writeString(file, ResultsStore.toJson(a), StandardCharsets.UTF_8);

        List<DamagedLine> damaged = new ArrayList<>();
        assertThat(ResultsStore.read(file, damaged::add)).isEmpty();
        assertThat(damaged).singleElement().extracting(DamagedLine::lineNumber).isEqualTo(1L);
    }

    @Test
    void anAppendAfterAHalfLineStartsOnANewLine() throws IOException {
        TrialRecord a = Records.ok("a", "magnitude", 0.5, 1, Records.accuracies(0.98, 0.9, 0.97));
        TrialRecord b = Records.ok("b", "magnitude", 0.9, 1, Records.accuracies(0.98, 0.5, 0.96));
        ResultsStore store = ResultsStore.in(dir);
        store.append(a);
        Files.writeString(store.file(), "{\"experiment\":\"ex", StandardOpenOption.APPEND); // a crash mid-write
        store.append(b);

        List<DamagedLine> damaged = new ArrayList<>();
        assertThat(store.read(damaged::add)).containsExactly(a, b);
        assertThat(damaged).extracting(DamagedLine::lineNumber).containsExactly(2L);
        assertThat(Files.readString(store.file())).endsWith("\n");
    }

    @Test
    void finishedTrialIdsAreTheSuccessfulOnes() throws IOException {
        ResultsStore store = ResultsStore.in(dir.resolve("new"));
        assertThat(store.finishedTrialIds()).isEmpty();
        assertThat(store.read()).isEmpty();
        store.append(Records.ok("a", "magnitude", 0.5, 1, Records.accuracies(0.98, 0.9, 0.97)));
        store.append(Records.failed("b", "obd", 0.9, 1, "boom", Map.of()));
        store.append(Records.ok("c", "obd", 0.5, 1, Records.accuracies(0.98, 0.9, 0.97)));

        assertThat(store.finishedTrialIds()).containsExactly("a", "c");
    }

    @Test
    void readingAFileThatDoesNotExistFails() {
        assertThatThrownBy(() -> ResultsStore.read(dir.resolve("missing.jsonl")))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void concurrentAppendsProduceOnlyWholeLines() throws Exception {
        int threads = 8;
        int perThread = 40;
        String padding = "x".repeat(20_000); // large lines: interleaved writes would show
        Path file = dir.resolve("results.jsonl");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    ResultsStore store = ResultsStore.at(file); // one instance per thread, as separate runners
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        TrialRecord r = new TrialRecord("exp", thread + "-" + i, TrialRecord.OK, null, "m", "d",
                                "s", "global", "unstructured", "one-shot", 0.5, 0.5, 10, 5, i, "djl", "cpu",
                                Map.of("test_accuracy", 0.5), Map.of(), Map.of("pad", padding + thread));
                        store.append(r);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        List<DamagedLine> damaged = new ArrayList<>();
        List<TrialRecord> read = ResultsStore.read(file, damaged::add);
        assertThat(damaged).isEmpty();
        assertThat(read).hasSize(threads * perThread);
        Set<String> ids = read.stream().map(TrialRecord::trialId).collect(Collectors.toSet());
        assertThat(ids).hasSize(threads * perThread);
        assertThat(Files.readAllLines(file)).hasSize(threads * perThread)
                .allSatisfy(line -> assertThat(line).startsWith("{\"experiment\"").endsWith("}}"));
        for (TrialRecord r : read) {
            assertThat(r.provenance().get("pad")).isEqualTo(padding + r.trialId().substring(0,
                    r.trialId().indexOf('-')));
        }
    }

    @Test
    void allRecordsAsOneJsonObject() throws IOException {
        List<TrialRecord> records = List.of(full(), failedWithNulls());
        String json = ResultsStore.toJsonObject(records);

        JsonNode root = JSON.readTree(json);
        List<String> top = new ArrayList<>();
        root.fieldNames().forEachRemaining(top::add);
        assertThat(top).containsExactly("trials");
        assertThat(root.get("trials")).hasSize(2);
        assertThat(JSON.writeValueAsString(root.get("trials").get(0)))
                .isEqualTo(JSON.writeValueAsString(JSON.readTree(ResultsStore.toJson(full()))));
        assertThat(json).doesNotContain("\n");
        List<TrialRecord> back = new ArrayList<>();
        for (JsonNode trial : root.get("trials")) {
            back.add(ResultsStore.fromJson(trial.toString()));
        }
        assertThat(back).containsExactlyElementsOf(records);
        assertThat(ResultsStore.toJsonObject(List.of())).isEqualTo("{\"trials\":[]}");
    }

    @Test
    void parsingNamesWhatIsWrong() {
        String good = ResultsStore.toJson(full());
        assertThatThrownBy(() -> ResultsStore.fromJson(good.replace("\"status\":\"ok\",", "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing field 'status'");
        assertThatThrownBy(() -> ResultsStore.fromJson(good.replace("\"trial_id\":\"t-0001\"", "\"trial_id\":null")))
                .hasMessageContaining("trial_id");
        assertThatThrownBy(() -> ResultsStore.fromJson(good + good)).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> ResultsStore.fromJson(good.replace("\"NaN\"", "\"nan?\"")))
                .hasMessageContaining("metrics.test_loss");
        // unknown keys (a newer writer) are ignored; null numbers read as NaN
        TrialRecord lenient = ResultsStore.fromJson(good.replace("{\"experiment\"", "{\"future\":1,\"experiment\"")
                .replace("\"NaN\"", "null"));
        assertThat(lenient).isEqualTo(full());
    }

    @Test
    void latestPerTrialPrefersTheSuccessfulRecord() {
        TrialRecord failed = Records.failed("a", "obd", 0.5, 1, "boom", Map.of());
        TrialRecord retried = Records.ok("a", "obd", 0.5, 1, Records.accuracies(0.98, 0.9, 0.97));
        TrialRecord other = Records.ok("b", "obd", 0.9, 1, Records.accuracies(0.98, 0.5, 0.96));
        TrialRecord failedAgain = Records.failed("a", "obd", 0.5, 1, "boom again", Map.of());

        assertThat(ResultsStore.latestPerTrial(List.of(failed, other, retried, failedAgain)))
                .containsExactly(retried, other);
        assertThat(ResultsStore.latestPerTrial(List.of(failed, failedAgain))).containsExactly(failedAgain);
        assertThat(new HashSet<>(ResultsStore.latestPerTrial(List.of(other, other)))).containsExactly(other);
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
