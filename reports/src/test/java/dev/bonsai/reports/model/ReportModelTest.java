package dev.bonsai.reports.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.reports.Records;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The format-neutral report model: its tables, baseline, provenance and failures, checked against hand sums. */
class ReportModelTest {

    /** obd at 50% and 90% for seeds 1–3, magnitude at 50% for seeds 1–2 and a failed magnitude trial at 90%. */
    private static List<TrialRecord> sweep() {
        List<TrialRecord> records = new ArrayList<>();
        double[][] obd = {{0.97, 0.96, 0.98}, {0.91, 0.93, 0.92}};
        for (int seed = 1; seed <= 3; seed++) {
            records.add(Records.ok("o5-" + seed, "obd", 0.5, seed, Records.accuracies(0.98, 0.9, obd[0][seed - 1])));
            records.add(Records.ok("o9-" + seed, "obd", 0.9, seed, Records.accuracies(0.98, 0.5, obd[1][seed - 1])));
        }
        records.add(Records.ok("m5-1", "magnitude", 0.5, 1, Records.accuracies(0.99, 0.8, 0.95)));
        records.add(Records.ok("m5-2", "magnitude", 0.5, 2, Records.accuracies(0.97, 0.8, 0.94)));
        records.add(Records.failed("m9-1", "magnitude", 0.9, 1, "out of memory\n", Map.of()));
        return records;
    }

    @Test
    void metricCellsSummariseTheSuccessfulTrialsAndCountTheFailedOnes() {
        ReportModel model = ReportModel.of(sweep());
        ConfigurationTable<MetricCell> table = model.metricTable("test_accuracy", 100, model.sparsities());

        assertThat(table.sparsities()).containsExactly(0.5, 0.9);
        assertThat(table.dimensions()).containsExactly(Dimension.STRATEGY);
        assertThat(table.rows()).extracting(ConfigurationTable.Row::key)
                .containsExactly(List.of("obd"), List.of("magnitude"));
        MetricCell obd90 = table.rows().get(0).cells().get(1);
        // 91, 93, 92: mean 92, sample std 1
        assertThat(obd90.summary().n()).isEqualTo(3);
        assertThat(obd90.summary().mean()).isCloseTo(92, within(1e-9));
        assertThat(obd90.summary().std()).isCloseTo(1, within(1e-9));
        assertThat(obd90.failed()).isZero();
        MetricCell magnitude90 = table.rows().get(1).cells().get(1);
        assertThat(magnitude90.summary().n()).isZero();
        assertThat(magnitude90.failed()).isEqualTo(1);
        assertThat(table.repeatsSeeds()).isFalse();
    }

    @Test
    void aRecordedNaNCountsAndShowsWhileAnAbsentMetricDoesNot() {
        Map<String, Double> nan = new HashMap<>(Records.accuracies(0.98, 0.5, Double.NaN));
        Map<String, Double> absent = new HashMap<>(Records.accuracies(0.98, 0.5, 0.9));
        absent.remove("test_accuracy");
        List<TrialRecord> records = List.of(Records.ok("a", "obd", 0.5, 1, Records.accuracies(0.98, 0.5, 0.9)),
                Records.ok("b", "obd", 0.5, 2, nan), Records.ok("c", "obd", 0.5, 3, absent));
        MetricCell cell = ReportModel.of(records).metricTable("test_accuracy", 100, List.of(0.5)).rows().get(0)
                .cells().get(0);

        assertThat(cell.summary().n()).isEqualTo(2);
        assertThat(cell.summary().mean()).isNaN();
    }

    @Test
    void twoTrialsOfOneSeedInACellAreFlagged() {
        List<TrialRecord> records = List.of(Records.ok("a", "obd", 0.5, 1, Records.accuracies(0.98, 0.5, 0.9)),
                Records.ok("b", "obd", 0.5, 1, Records.accuracies(0.98, 0.5, 0.8)));
        ReportModel model = ReportModel.of(records);

        assertThat(model.metricTable("test_accuracy", 100, model.sparsities()).repeatsSeeds()).isTrue();
        assertThat(model.achievedSparsityTable(model.sparsities()).repeatsSeeds()).isTrue();
    }

    @Test
    void achievedSparsityCellsAverageTheParameterCounts() {
        ReportModel model = ReportModel.of(sweep());
        ConfigurationTable<AchievedSparsityCell> table = model.achievedSparsityTable(model.sparsities());

        AchievedSparsityCell obd90 = table.rows().get(0).cells().get(1);
        assertThat(obd90.achieved().mean()).isCloseTo(100 * 0.9001, within(1e-9));
        assertThat(obd90.meanNonzero()).isEqualTo(Math.round(266_610 * 0.1));
        assertThat(obd90.meanTotal()).isEqualTo(266_610);
        AchievedSparsityCell magnitude90 = table.rows().get(1).cells().get(1);
        assertThat(magnitude90.achieved().n()).isZero();
        assertThat(magnitude90.failed()).isEqualTo(1);
        assertThat(magnitude90.meanNonzero()).isNaN();
    }

    @Test
    void theDenseBaselineAveragesEachSeedFirstAndLeavesOutValuesThatAreNotFinite() {
        List<TrialRecord> records = new ArrayList<>(sweep());
        records.add(Records.ok("inf", "random", 0.5, 3, Records.accuracies(Double.POSITIVE_INFINITY, 0.1, 0.1)));
        DenseBaseline baseline = ReportModel.of(records).denseBaseline().orElseThrow();

        assertThat(baseline.dimensions()).containsExactly(Dimension.MODEL, Dimension.DATASET, Dimension.ENGINE,
                Dimension.DEVICE);
        assertThat(baseline.rows()).hasSize(1);
        DenseBaseline.Row row = baseline.rows().get(0);
        // seed 1: obd 98, 98, magnitude 99 → 98.333…; seed 2: 98, 98, 97 → 97.666…; seed 3: 98, 98 (∞ left out)
        double[] perSeed = {(98 + 98 + 99) / 3.0, (98 + 98 + 97) / 3.0, 98};
        assertThat(row.accuracy().n()).isEqualTo(3);
        assertThat(row.accuracy().mean()).isCloseTo(Arrays.stream(perSeed).sum() / 3, within(1e-9));
        assertThat(row.trainSeconds().mean()).isEqualTo(1.0);
        assertThat(row.inference().n()).isZero();
        assertThat(ReportModel.of(List.of(Records.ok("x", "obd", 0.5, 1, Map.of()))).denseBaseline()).isEmpty();
    }

    @Test
    void aTrialRecordedTwiceCountsOnceAndTheOriginSaysSo() {
        List<TrialRecord> records = new ArrayList<>(sweep());
        records.add(Records.failed("o5-1", "obd", 0.5, 1, "earlier attempt", Map.of()));
        ReportModel model = ReportModel.of(records);

        assertThat(model.trials()).hasSize(9);
        assertThat(model.recordCount()).isEqualTo(10);
        assertThat(model.origin()).startsWith("Generated by Bonsai from 9 trials (10 records;");
        assertThat(ReportModel.of(sweep()).origin()).isEqualTo("Generated by Bonsai from 9 trials");
        assertThat(model.title()).isEqualTo("exp");
        assertThat(ReportModel.of(List.of()).title()).isEqualTo("Bonsai report");
    }

    @Test
    void provenanceEntriesComeInOrderWithNamesAsCode() {
        ReportModel model = ReportModel.of(sweep());
        List<Provenance.Entry> entries = model.provenance();
        SpanFormat brackets = new SpanFormat(t -> t, t -> "[" + t + "]", t -> "*" + t + "*", " / ");

        assertThat(entries).extracting(Provenance.Entry::label).containsExactly("Trials", "Models", "Datasets",
                "Engines / devices", "Machines (as recorded)", "Seeds", "Dataset SHA-256", "Bonsai version",
                "Git revision", "Failed trials");
        assertThat(entries).extracting(e -> brackets.write(e.value())).containsExactly("9 (8 ok, 1 failed)",
                "[lenet-300-100]", "[mnist]", "[djl/cpu] (9 trials)", "*not recorded*", "1, 2, 3", "[abc123]",
                "[0.1.0]", "[deadbeef]", "1, listed below");
    }

    @Test
    void checksumsAreListedPerDatasetWhereThereAreSeveral() {
        TrialRecord other = new TrialRecord("exp", "c", TrialRecord.OK, null, "m", "cifar", "obd", "global",
                "unstructured", "one-shot", 0.5, 0.5, 10, 5, 1, "dl4j", "cuda", Map.of(), Map.of(),
                Map.of("dataset_sha256", "fff", "gpu", "H200", "cpu", "EPYC"));
        List<Provenance.Entry> entries = ReportModel.of(List.of(sweep().get(0), other)).provenance();
        SpanFormat brackets = new SpanFormat(t -> t, t -> "[" + t + "]", t -> "*" + t + "*", " / ");
        Map<String, String> text = new HashMap<>();
        entries.forEach(e -> text.put(e.label(), brackets.write(e.value())));

        assertThat(text.get("Dataset SHA-256")).isEqualTo("mnist: [abc123]; cifar: [fff]");
        assertThat(text.get("Machines (as recorded)")).isEqualTo("[dl4j/cuda]: H200; EPYC");
        assertThat(text.get("Engines / devices")).isEqualTo("[djl/cpu] (1 trial), [dl4j/cuda] (1 trial)");
    }

    @Test
    void aFailureReadsAsOneLineWithItsErrorTrimmed() {
        SpanFormat brackets = new SpanFormat(t -> t, t -> "[" + t + "]", t -> "*" + t + "*", " / ");
        TrialRecord failed = sweep().get(8);

        assertThat(brackets.write(ReportModel.failure(failed)))
                .isEqualTo("[m9-1] — magnitude, target 90%, seed 1, [djl/cpu]: out of memory");
        assertThat(brackets.write(ReportModel.failure(Records.failed("x", "obd", 0.995, 2, null, Map.of()))))
                .isEqualTo("[x] — obd, target 99.5%, seed 2, [djl/cpu]: *no error message recorded*");
    }

    @Test
    void teachersAreListedOnceWithTheirStudentsRecipes() {
        TrialRecord base = Records.ok("s", "none", 0, 1, Records.accuracies(0.99, 0.99, 0.99));
        List<TrialRecord> records = List.of(Records.distilled(base, "hinton", "abc", 67, 80),
                Records.distilled(base, "soft", "abc", 67, 81), Records.distilled(base, "none", null, 0, 150));
        List<Teacher> teachers = ReportModel.of(records).teachers();

        assertThat(teachers).hasSize(1);
        Teacher t = teachers.get(0);
        assertThat(t.hash()).isEqualTo("abc");
        assertThat(t.recipes()).containsExactly("hinton", "soft");
        assertThat(t.testErrors()).isEqualTo(67);
        assertThat(t.testAccuracy()).isCloseTo(1 - 67 / 10_000.0, within(1e-12));
        assertThat(t.seed()).isEqualTo("1");
        assertThat(t.source()).contains("mlp");
    }
}
