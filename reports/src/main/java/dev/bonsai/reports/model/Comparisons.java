package dev.bonsai.reports.model;

import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.reports.stats.PairedComparison;
import dev.bonsai.reports.stats.Statistics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Paired comparisons between strategies: for every configuration other than the strategy (the other row
 * {@link Dimension dimensions}) and every target sparsity, each pair of strategies is compared on the seeds both
 * have a successful value for. A strategy with several successful trials of one seed in a cell (configurations the
 * records do not tell apart) contributes their mean for that seed.
 *
 * @param context the dimensions other than the strategy that split the comparisons (may be empty)
 * @param rows    the comparisons, by context (first appearance), then sparsity (ascending), then pair (strategies
 *                in order of first appearance, {@code a} before {@code b})
 */
public record Comparisons(List<Dimension> context, List<Row> rows) {

    /** Copies the lists. */
    public Comparisons {
        context = List.copyOf(context);
        rows = List.copyOf(rows);
    }

    /**
     * One pair of strategies at one sparsity.
     *
     * @param context  the values of {@link Comparisons#context()}
     * @param sparsity the target sparsity
     * @param a        the first strategy
     * @param b        the second strategy
     * @param result   the comparison of {@code a - b} over their common seeds
     * @param seeds    the common seeds, ascending
     */
    public record Row(List<String> context, double sparsity, String a, String b, PairedComparison result,
            List<Long> seeds) {
        /** Copies the lists. */
        public Row {
            context = List.copyOf(context);
            seeds = List.copyOf(seeds);
        }
    }

    /**
     * The comparisons of {@code metric} (multiplied by {@code scale}, e.g. 100 for percentages) among the
     * successful trials of {@code trials} (one record per trial).
     */
    public static Comparisons of(List<TrialRecord> trials, String metric, double scale) {
        return of(trials, metric, scale, Dimension.STRATEGY);
    }

    /**
     * The comparisons of {@code metric} between the values of {@code compared} (strategies, or distillation
     * recipes), within each configuration of the other row dimensions; {@link Row#a()} and {@link Row#b()} are
     * values of {@code compared}.
     */
    public static Comparisons of(List<TrialRecord> trials, String metric, double scale, Dimension compared) {
        List<Dimension> context = new ArrayList<>(Grouping.rowDimensions(trials));
        context.remove(compared);
        List<TrialRecord> ok = trials.stream()
                .filter(r -> r.ok() && !Double.isNaN(r.metric(metric))).toList();
        List<String> strategies = List.copyOf(Grouping.distinct(trials, compared::of));
        // context → sparsity → strategy → seed → values
        Map<List<String>, Map<Double, Map<String, Map<Long, List<Double>>>>> cells = new LinkedHashMap<>();
        for (List<String> key : Grouping.keys(trials, context)) {
            cells.put(key, new TreeMap<>());
        }
        for (TrialRecord r : ok) {
            cells.get(Grouping.key(r, context))
                    .computeIfAbsent(r.targetSparsity(), s -> new LinkedHashMap<>())
                    .computeIfAbsent(compared.of(r), s -> new TreeMap<>())
                    .computeIfAbsent(r.seed(), s -> new ArrayList<>())
                    .add(scale * r.metric(metric));
        }
        List<Row> rows = new ArrayList<>();
        for (var byContext : cells.entrySet()) {
            for (var bySparsity : byContext.getValue().entrySet()) {
                Map<String, Map<Long, List<Double>>> byStrategy = bySparsity.getValue();
                List<String> present = strategies.stream().filter(byStrategy::containsKey).toList();
                for (int i = 0; i < present.size(); i++) {
                    for (int j = i + 1; j < present.size(); j++) {
                        Map<Long, List<Double>> a = byStrategy.get(present.get(i));
                        Map<Long, List<Double>> b = byStrategy.get(present.get(j));
                        List<Long> seeds = a.keySet().stream().filter(b::containsKey).sorted().toList();
                        if (seeds.isEmpty()) {
                            continue;
                        }
                        double[] x = seeds.stream().mapToDouble(s -> mean(a.get(s))).toArray();
                        double[] y = seeds.stream().mapToDouble(s -> mean(b.get(s))).toArray();
                        rows.add(new Row(byContext.getKey(), bySparsity.getKey(), present.get(i), present.get(j),
                                PairedComparison.of(x, y), seeds));
                    }
                }
            }
        }
        return new Comparisons(context, rows);
    }

    private static double mean(List<Double> values) {
        return Statistics.mean(Statistics.toArray(values));
    }
}
