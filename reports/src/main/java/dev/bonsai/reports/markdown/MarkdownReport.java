package dev.bonsai.reports.markdown;

import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.reports.model.Comparisons;
import dev.bonsai.reports.model.Dimension;
import dev.bonsai.reports.model.Grouping;
import dev.bonsai.reports.stats.ConfidenceInterval;
import dev.bonsai.reports.stats.PairedComparison;
import dev.bonsai.reports.stats.Statistics;
import dev.bonsai.reports.stats.Summary;
import dev.bonsai.reports.stats.TestResult;
import dev.bonsai.reports.store.ResultsStore;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** Renders one {@code report.md}; see {@link MarkdownReportWriter} for what it holds. */
final class MarkdownReport {
    static final String DENSE_ACCURACY = "dense_test_accuracy";
    static final String DENSE_INFERENCE = "dense_inference_samples_per_s";
    static final String PRUNED_ACCURACY = "pruned_test_accuracy";
    static final String FINAL_ACCURACY = "test_accuracy";
    static final String FINAL_LOSS = "test_loss";
    /** Decimals of the language-model tables, at least: losses of compared models often differ in the third. */
    static final int LM_DECIMALS = 4;
    static final String FINAL_PERPLEXITY = "test_perplexity";
    static final String FINAL_BITS_PER_CHARACTER = "test_bits_per_character";
    static final String FINAL_ERRORS = "test_errors";
    static final String FINAL_VALIDATION_LOSS = "validation_loss";
    static final String TEACHER_HASH = "teacher_hash";
    static final String DATASET_SHA256 = "dataset_sha256";
    static final String BONSAI_VERSION = "bonsai_version";
    static final String GIT_REVISION = "git_revision";
    static final String NONE = "–";

    private final List<TrialRecord> records;
    private final List<TrialRecord> trials;
    private final List<TrialRecord> ok;
    private final List<TrialRecord> failed;
    private final int decimals;
    private final StringBuilder out = new StringBuilder(4096);

    MarkdownReport(List<TrialRecord> records, MarkdownOptions options) {
        this.records = List.copyOf(records);
        this.trials = ResultsStore.latestPerTrial(this.records);
        this.ok = trials.stream().filter(TrialRecord::ok).toList();
        this.failed = trials.stream().filter(r -> !r.ok()).toList();
        this.decimals = options.decimals();
    }

    String render() {
        title();
        provenance();
        failures();
        baseline();
        List<Dimension> dims = rowDims();
        List<List<String>> rows = rowKeys(dims);
        List<Double> sparsities = trials.stream().map(TrialRecord::targetSparsity).distinct()
                .sorted(Comparator.naturalOrder()).toList();
        teachers();
        accuracyTable("Test accuracy after fine-tuning (%)",
                "The final `" + FINAL_ACCURACY + "` in %, after fine-tuning", FINAL_ACCURACY, dims, rows,
                sparsities, 100);
        if (ok.stream().anyMatch(r -> r.metrics().containsKey(FINAL_ERRORS))) {
            accuracyTable("Test errors after fine-tuning",
                    "The final `" + FINAL_ERRORS + "`: misclassified test samples, after fine-tuning", FINAL_ERRORS,
                    dims, rows, sparsities, 1);
        }
        if (ok.stream().anyMatch(r -> r.metrics().containsKey(FINAL_VALIDATION_LOSS))) {
            accuracyTable("Validation loss after fine-tuning", "The final `" + FINAL_VALIDATION_LOSS
                    + "`: the mean cross-entropy (nats) on the validation split held out of training",
                    FINAL_VALIDATION_LOSS, dims, rows, sparsities, 1, Math.max(decimals, LM_DECIMALS));
        }
        accuracyTable("Test accuracy after pruning, before fine-tuning (%)",
                "`" + PRUNED_ACCURACY + "` in %, measured right after the last pruning step", PRUNED_ACCURACY,
                dims, rows, sparsities, 100);
        if (ok.stream().anyMatch(r -> r.metrics().containsKey(FINAL_PERPLEXITY))) {
            accuracyTable("Language model: test loss (nats per token)", "The final `" + FINAL_LOSS
                    + "`, the mean cross-entropy per predicted token in nats", FINAL_LOSS, dims, rows, sparsities, 1,
                    Math.max(decimals, LM_DECIMALS));
            accuracyTable("Language model: test perplexity", "The final `" + FINAL_PERPLEXITY + "`, e^loss",
                    FINAL_PERPLEXITY, dims, rows, sparsities, 1, Math.max(decimals, LM_DECIMALS));
            accuracyTable("Language model: test bits per character", "The final `" + FINAL_BITS_PER_CHARACTER
                    + "`: loss / ln 2 per character the predicted tokens stand for (a word counts with its space)",
                    FINAL_BITS_PER_CHARACTER, dims, rows, sparsities, 1,
                    Math.max(decimals, LM_DECIMALS));
        }
        sparsityTable(dims, rows, sparsities);
        pairedComparisons(Dimension.STRATEGY, FINAL_ACCURACY, 100, "test accuracy after fine-tuning", "pp");
        if (distinct(trials, Dimension.RECIPE::of).size() > 1) {
            boolean errors = ok.stream().anyMatch(r -> r.metrics().containsKey(FINAL_ERRORS));
            pairedComparisons(Dimension.RECIPE, errors ? FINAL_ERRORS : FINAL_ACCURACY, errors ? 1 : 100,
                    errors ? "test errors" : "test accuracy after fine-tuning", errors ? "errors" : "pp");
        }
        return out.toString();
    }

    private void title() {
        Set<String> names = distinct(trials, TrialRecord::experiment);
        out.append("# ").append(names.isEmpty() ? "Bonsai report" : escape(String.join(", ", names))).append("\n\n");
        if (trials.isEmpty()) {
            out.append("No trial records.\n");
            return;
        }
        out.append("Generated by Bonsai from ").append(plural(trials.size(), "trial"));
        if (records.size() != trials.size()) {
            out.append(" (").append(records.size()).append(" records; a trial recorded more than once counts once,"
                    + " its successful record preferred)");
        }
        out.append(". Accuracies and sparsities are percentages. An accuracy cell reads `mean ± std [low, high] (n=…)`:"
                + " the mean and sample standard deviation over the successful trials (seeds), the t-based 95%"
                + " confidence interval of the mean (shown from n = 2 on), and n, the number of seeds.\n\n");
    }

    private void provenance() {
        if (trials.isEmpty()) {
            return;
        }
        out.append("## Provenance\n\n");
        bullet("Trials", trials.size() + " (" + ok.size() + " ok, " + failed.size() + " failed)");
        bullet("Models", codeList(distinct(trials, TrialRecord::model)));
        bullet("Datasets", codeList(distinct(trials, TrialRecord::dataset)));
        Map<String, Integer> engines = new LinkedHashMap<>();
        for (TrialRecord r : trials) {
            engines.merge(Objects.toString(r.engine(), "?") + "/" + Objects.toString(r.device(), "?"), 1,
                    Integer::sum);
        }
        bullet("Engines / devices", engines.entrySet().stream()
                .map(e -> code(e.getKey()) + " (" + plural(e.getValue(), "trial") + ")")
                .collect(Collectors.joining(", ")));
        bullet("Seeds", new TreeSet<>(trials.stream().map(TrialRecord::seed).toList()).stream()
                .map(String::valueOf).collect(Collectors.joining(", ")));
        bullet("Dataset SHA-256", datasetChecksums());
        bullet("Bonsai version", codeList(distinct(trials, r -> r.provenance().get(BONSAI_VERSION))));
        bullet("Git revision", codeList(distinct(trials, r -> r.provenance().get(GIT_REVISION))));
        bullet("Failed trials", failed.isEmpty() ? "none" : failed.size() + ", listed below");
        out.append('\n');
    }

    private String datasetChecksums() {
        Set<String> datasets = distinct(trials, TrialRecord::dataset);
        Map<String, Set<String>> byDataset = new LinkedHashMap<>();
        for (TrialRecord r : trials) {
            String sha = r.provenance().get(DATASET_SHA256);
            if (sha != null) {
                byDataset.computeIfAbsent(Objects.toString(r.dataset(), "?"), k -> new LinkedHashSet<>()).add(sha);
            }
        }
        if (byDataset.isEmpty()) {
            return "*not recorded*";
        }
        if (datasets.size() <= 1) {
            return codeList(byDataset.values().iterator().next());
        }
        return byDataset.entrySet().stream()
                .map(e -> escape(e.getKey()) + ": " + codeList(e.getValue()))
                .collect(Collectors.joining("; "));
    }

    private void failures() {
        if (failed.isEmpty()) {
            return;
        }
        out.append("## Failed trials\n\n");
        out.append("Left out of every mean below.\n\n");
        for (TrialRecord r : failed) {
            out.append("- ").append(code(r.trialId())).append(" — ")
                    .append(escape(Objects.toString(r.strategy(), "?")))
                    .append(", target ").append(sparsityHeader(r.targetSparsity()))
                    .append(", seed ").append(r.seed())
                    .append(", ").append(code(Objects.toString(r.engine(), "?") + "/"
                            + Objects.toString(r.device(), "?")))
                    .append(": ").append(r.error() == null ? "*no error message recorded*" : escape(r.error()))
                    .append('\n');
        }
        out.append('\n');
    }

    private void baseline() {
        if (trials.isEmpty()) {
            return;
        }
        out.append("## Dense baseline\n\n");
        List<TrialRecord> withDense = ok.stream().filter(r -> r.metrics().containsKey(DENSE_ACCURACY)).toList();
        if (withDense.isEmpty()) {
            out.append("No successful trial recorded `").append(DENSE_ACCURACY).append("`.\n\n");
            return;
        }
        out.append("`").append(DENSE_ACCURACY).append("` in %: the test accuracy of the trained dense model,"
                + " one value per seed (the mean of that seed's trials), then mean ± sample standard deviation over"
                + " seeds; the mean seconds of dense training per seed and the dense model's test-set inference"
                + " throughput, per engine and device.\n\n");
        List<Dimension> dims = new ArrayList<>();
        if (distinct(trials, TrialRecord::experiment).size() > 1) {
            dims.add(Dimension.EXPERIMENT);
        }
        dims.addAll(List.of(Dimension.MODEL, Dimension.DATASET, Dimension.ENGINE, Dimension.DEVICE));
        if (distinct(trials, Dimension.RECIPE::of).size() > 1) {
            dims.add(Dimension.RECIPE); // each recipe trains its own dense student
        }
        Map<List<String>, Map<Long, List<TrialRecord>>> groups = new LinkedHashMap<>();
        for (TrialRecord r : withDense) {
            groups.computeIfAbsent(key(r, dims), k -> new TreeMap<>())
                    .computeIfAbsent(r.seed(), s -> new ArrayList<>())
                    .add(r);
        }
        List<String> headers = new ArrayList<>();
        List<Boolean> right = new ArrayList<>();
        for (Dimension d : dims) {
            headers.add(d.header());
            right.add(false);
        }
        headers.addAll(List.of("dense test accuracy (%)", "dense training (s)", "inference (samples/s)"));
        right.addAll(List.of(true, true, true));
        MarkdownTable table = new MarkdownTable(headers, right);
        for (Map.Entry<List<String>, Map<Long, List<TrialRecord>>> group : groups.entrySet()) {
            Collection<List<TrialRecord>> seeds = group.getValue().values();
            List<String> cells = labels(group.getKey());
            cells.add(stat(Summary.of(perSeed(seeds, r -> 100 * r.metric(DENSE_ACCURACY))), 0, true));
            cells.add(mean(perSeed(seeds, r -> r.timings().getOrDefault("train", Double.NaN)), "%.1f"));
            cells.add(mean(perSeed(seeds, r -> r.metrics().getOrDefault(DENSE_INFERENCE, Double.NaN)), "%.0f"));
            table.add(cells);
        }
        table.appendTo(out);
        out.append('\n');
    }

    /**
     * The distillation teachers: one row per teacher (by provenance hash) with where it came from and its own test
     * metrics, so that a student's figures can be read against its teacher's.
     */
    private void teachers() {
        Map<String, List<TrialRecord>> byTeacher = new LinkedHashMap<>();
        for (TrialRecord r : ok) {
            String hash = r.provenance().get(TEACHER_HASH);
            if (hash != null) {
                byTeacher.computeIfAbsent(hash, k -> new ArrayList<>()).add(r);
            }
        }
        if (byTeacher.isEmpty()) {
            return;
        }
        out.append("## Teachers\n\n");
        out.append("The teachers the recipes distil from, each trained once (or loaded from a checkpoint) and shared by"
                + " the students listed: its model, seed, test accuracy in %, test errors (classifiers) and size.\n\n");
        MarkdownTable table = new MarkdownTable(
                List.of("teacher", "model", "seed", "recipes", "test accuracy (%)", "test errors", "parameters"),
                List.of(false, false, true, false, true, true, true));
        for (Map.Entry<String, List<TrialRecord>> e : byTeacher.entrySet()) {
            TrialRecord r = e.getValue().get(0);
            Map<String, String> p = r.provenance();
            double errors = r.metric("teacher_test_errors");
            table.add(new ArrayList<>(List.of(code(e.getKey()),
                    escape(p.getOrDefault("teacher_checkpoint", p.getOrDefault("teacher_model", "?"))),
                    p.getOrDefault("teacher_seed", NONE),
                    escape(String.join(", ", distinct(e.getValue(), Dimension.RECIPE::of))),
                    fixed(100 * r.metric("teacher_test_accuracy")),
                    Double.isNaN(errors) ? NONE : String.format(Locale.ROOT, "%.0f", errors),
                    count(r.metric("teacher_parameters")))));
        }
        table.appendTo(out);
        out.append('\n');
    }

    /** The mean of {@code values} in {@code format}, or a dash when there are none. */
    private static String mean(double[] values, String format) {
        return values.length == 0 ? NONE : String.format(Locale.ROOT, format, Statistics.mean(values));
    }

    /** Per seed, the mean of {@code value} over that seed's records; seeds without a finite value are left out. */
    private static double[] perSeed(Collection<List<TrialRecord>> seeds, ToDoubleFunction<TrialRecord> value) {
        return seeds.stream().mapToDouble(rs -> rs.stream().mapToDouble(value).filter(Double::isFinite).average()
                .orElse(Double.NaN)).filter(Double::isFinite).toArray();
    }

    /** A table of {@code metric} times {@code scale} (100 for percentages) by row and target sparsity. */
    private void accuracyTable(String heading, String what, String metric, List<Dimension> dims, List<List<String>> rows,
            List<Double> sparsities, double scale) {
        accuracyTable(heading, what, metric, dims, rows, sparsities, scale, decimals);
    }

    /** As above, with {@code places} decimals (language-model losses differ in the third). */
    private void accuracyTable(String heading, String what, String metric, List<Dimension> dims, List<List<String>> rows,
            List<Double> sparsities, double scale, int places) {
        if (trials.isEmpty()) {
            return;
        }
        out.append("## ").append(heading).append("\n\n");
        if (ok.stream().noneMatch(r -> r.metrics().containsKey(metric))) {
            out.append("No successful trial recorded `").append(metric).append("`.\n\n");
            return;
        }
        out.append(what).append("; one column per target sparsity.\n\n");
        Map<List<String>, Map<Double, List<TrialRecord>>> cells = cells(dims);
        MarkdownTable table = table(dims, sparsities);
        boolean repeatedSeeds = false;
        for (List<String> row : rows) {
            List<String> line = labels(row);
            for (double sparsity : sparsities) {
                List<TrialRecord> cell = cells.getOrDefault(row, Map.of()).getOrDefault(sparsity, List.of());
                List<TrialRecord> good = cell.stream()
                        .filter(r -> r.ok() && r.metrics().containsKey(metric)).toList();
                repeatedSeeds |= repeatsSeeds(good);
                int failures = (int) cell.stream().filter(r -> !r.ok()).count();
                double[] values = good.stream().mapToDouble(r -> scale * r.metric(metric)).toArray();
                line.add(cell(Summary.of(values), failures, "", true, places));
            }
            table.add(line);
        }
        table.appendTo(out);
        out.append('\n');
        if (repeatedSeeds) {
            repeatedSeedsNote();
        }
    }

    private void sparsityTable(List<Dimension> dims, List<List<String>> rows, List<Double> sparsities) {
        if (trials.isEmpty()) {
            return;
        }
        out.append("## Achieved sparsity and non-zero parameters\n\n");
        out.append("`achieved_sparsity` of the prunable weights in %, then the mean number of non-zero trainable"
                + " parameters / the mean total number; one column per target sparsity.\n\n");
        Map<List<String>, Map<Double, List<TrialRecord>>> cells = cells(dims);
        MarkdownTable table = table(dims, sparsities);
        boolean repeatedSeeds = false;
        for (List<String> row : rows) {
            List<String> line = labels(row);
            for (double sparsity : sparsities) {
                List<TrialRecord> cell = cells.getOrDefault(row, Map.of()).getOrDefault(sparsity, List.of());
                List<TrialRecord> good = cell.stream().filter(TrialRecord::ok).toList();
                repeatedSeeds |= repeatsSeeds(good);
                int failures = cell.size() - good.size();
                double[] achieved = good.stream().mapToDouble(r -> 100 * r.achievedSparsity()).toArray();
                String parameters = "";
                if (!good.isEmpty()) {
                    double nonzero = Statistics.mean(good.stream().mapToDouble(TrialRecord::nonzeroParameters)
                            .toArray());
                    double total = Statistics.mean(good.stream().mapToDouble(TrialRecord::totalParameters)
                            .toArray());
                    parameters = " · " + count(nonzero) + " / " + count(total);
                }
                line.add(cell(Summary.of(achieved), failures, parameters, false));
            }
            table.add(line);
        }
        table.appendTo(out);
        out.append('\n');
        if (repeatedSeeds) {
            repeatedSeedsNote();
        }
    }

    private void repeatedSeedsNote() {
        out.append("Some cells hold more than one trial with the same seed: configurations the records do not tell"
                + " apart (for example one strategy with different options). n counts trials.\n\n");
    }

    private static boolean repeatsSeeds(List<TrialRecord> records) {
        return records.stream().map(TrialRecord::seed).distinct().count() < records.size();
    }

    private List<Dimension> rowDims() {
        return Grouping.rowDimensions(trials);
    }

    private List<List<String>> rowKeys(List<Dimension> dims) {
        return Grouping.keys(trials, dims);
    }

    private Map<List<String>, Map<Double, List<TrialRecord>>> cells(List<Dimension> dims) {
        Map<List<String>, Map<Double, List<TrialRecord>>> cells = new HashMap<>();
        for (TrialRecord r : trials) {
            cells.computeIfAbsent(key(r, dims), k -> new HashMap<>())
                    .computeIfAbsent(r.targetSparsity(), s -> new ArrayList<>()).add(r);
        }
        return cells;
    }

    private static List<String> key(TrialRecord r, List<Dimension> dims) {
        return Grouping.key(r, dims);
    }

    private static MarkdownTable table(List<Dimension> dims, List<Double> sparsities) {
        List<String> headers = new ArrayList<>();
        List<Boolean> right = new ArrayList<>();
        for (Dimension d : dims) {
            headers.add(d.header());
            right.add(false);
        }
        for (double s : sparsities) {
            headers.add(sparsityHeader(s));
            right.add(true);
        }
        return new MarkdownTable(headers, right);
    }

    private static List<String> labels(List<String> key) {
        List<String> cells = new ArrayList<>();
        for (String v : key) {
            cells.add(v.isEmpty() ? NONE : escape(v));
        }
        return cells;
    }

    /**
     * {@code 97.92 ± 0.05 [97.80, 98.04] (n=3)} (the interval only with {@code ci} and n ≥ 2), with failures and an
     * optional addition; {@code failed (k)} or – when empty.
     */
    private String cell(Summary summary, int failures, String addition, boolean ci) {
        return cell(summary, failures, addition, ci, decimals);
    }

    /** As {@link #cell(Summary, int, String, boolean)}, with {@code places} decimals. */
    private String cell(Summary summary, int failures, String addition, boolean ci, int places) {
        if (summary.n() == 0) {
            return failures > 0 ? "failed (" + failures + ")" : NONE;
        }
        return stat(summary, failures, ci, places) + addition;
    }

    private String stat(Summary summary, int failures, boolean ci) {
        return stat(summary, failures, ci, decimals);
    }

    private String stat(Summary summary, int failures, boolean ci, int places) {
        String std = summary.hasStd() ? fixed(summary.std(), places) : NONE;
        String interval = "";
        ConfidenceInterval c = summary.ci95();
        if (ci && c.defined()) {
            interval = " [" + fixed(c.lower(), places) + ", " + fixed(c.upper(), places) + "]";
        }
        return fixed(summary.mean(), places) + " ± " + std + interval + " (n=" + summary.n()
                + (failures > 0 ? ", " + failures + " failed" : "") + ")";
    }

    private String interval(ConfidenceInterval c) {
        return c.defined() ? "[" + fixed(c.lower()) + ", " + fixed(c.upper()) + "]" : NONE;
    }

    /** Paired comparisons between the values of {@code compared} (strategies or recipes) on {@code metric}. */
    private void pairedComparisons(Dimension compared, String metric, double scale, String what, String unit) {
        if (trials.isEmpty()) {
            return;
        }
        Comparisons comparisons = Comparisons.of(trials, metric, scale, compared);
        if (comparisons.rows().isEmpty()) {
            return;
        }
        String plural = compared == Dimension.STRATEGY ? "strategies" : "recipes";
        out.append("## Paired comparisons of ").append(plural).append(" (").append(what).append(")\n\n");
        out.append("Each pair of ").append(plural).append(" at the same target sparsity, on the seeds both have (n"
                + " pairs): Δ is the mean of A − B in ").append(unit.equals("pp") ? "percentage points" : unit)
                .append(" with its t-based 95% confidence interval; p-values are"
                + " two-sided, of Student's paired t-test and of the Wilcoxon signed-rank test (exact up to "
                + Statistics.WILCOXON_EXACT_MAX + " non-zero differences, marked ≈ where the normal approximation"
                + " is used), not adjusted for multiple comparisons. With n < 2 there is no t-test; with n < 6 the"
                + " Wilcoxon test cannot reach p < 0.05.\n\n");
        List<String> headers = new ArrayList<>();
        List<Boolean> right = new ArrayList<>();
        for (Dimension d : comparisons.context()) {
            headers.add(d.header());
            right.add(false);
        }
        headers.addAll(List.of("sparsity", "A", "B", "n", "Δ A − B (" + unit + ")", "95% CI of Δ", "paired t p",
                "Wilcoxon p"));
        right.addAll(List.of(true, false, false, true, true, true, true, true));
        MarkdownTable table = new MarkdownTable(headers, right);
        for (Comparisons.Row row : comparisons.rows()) {
            List<String> cells = labels(row.context());
            PairedComparison c = row.result();
            cells.add(sparsityHeader(row.sparsity()));
            cells.add(escape(row.a()));
            cells.add(escape(row.b()));
            cells.add(Integer.toString(c.n()));
            cells.add(signed(c.meanDifference()));
            cells.add(interval(c.difference().ci95()));
            cells.add(pValue(c.tTest()));
            cells.add(pValue(c.wilcoxon()));
            table.add(cells);
        }
        table.appendTo(out);
        out.append('\n');
    }

    private String signed(double value) {
        String text = fixed(value);
        return value > 0 ? "+" + text : text;
    }

    /** A p-value with 4 decimals, {@code <0.0001} below that, ≈ before an approximate one, – when undefined. */
    static String pValue(TestResult test) {
        if (!test.defined()) {
            return NONE;
        }
        double p = test.pValue();
        String text = p < 0.0001 ? "<0.0001" : String.format(Locale.ROOT, "%.4f", p);
        return test.exact() ? text : "≈" + text;
    }

    String fixed(double value) {
        return fixed(value, decimals);
    }

    private static String fixed(double value, int places) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "∞" : "-∞";
        }
        return String.format(Locale.ROOT, "%." + places + "f", value);
    }

    private static String count(double value) {
        return String.format(Locale.ROOT, "%,d", Math.round(value));
    }

    /** A target sparsity as a column header: {@code 0.95} → {@code 95%}, {@code 0.995} → {@code 99.5%}. */
    static String sparsityHeader(double sparsity) {
        if (Double.isNaN(sparsity) || Double.isInfinite(sparsity)) {
            return Double.toString(sparsity);
        }
        return new BigDecimal(Double.toString(sparsity)).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }

    private void bullet(String label, String value) {
        out.append("- **").append(label).append(":** ").append(value).append('\n');
    }

    private static Set<String> distinct(List<TrialRecord> records, Function<TrialRecord, String> field) {
        return Grouping.distinct(records, field);
    }

    private static String codeList(Set<String> values) {
        if (values.isEmpty()) {
            return "*not recorded*";
        }
        return values.stream().map(MarkdownReport::code).collect(Collectors.joining(", "));
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** Text made safe for a Markdown line or table cell: one line, Markdown's special characters escaped. */
    static String escape(String text) {
        String line = oneLine(text);
        StringBuilder b = new StringBuilder(line.length() + 8);
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ("\\`*_[]<>|#".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    /** A code span holding {@code text} verbatim (pipes escaped, which tables need). */
    static String code(String text) {
        String line = oneLine(text).replace("|", "\\|");
        int longestRun = 0;
        int run = 0;
        for (int i = 0; i < line.length(); i++) {
            run = line.charAt(i) == '`' ? run + 1 : 0;
            longestRun = Math.max(longestRun, run);
        }
        String fence = "`".repeat(longestRun + 1);
        String pad = line.startsWith("`") || line.endsWith("`") ? " " : "";
        return fence + pad + line + pad + fence;
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
