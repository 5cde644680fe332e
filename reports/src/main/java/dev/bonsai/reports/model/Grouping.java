package dev.bonsai.reports.model;

import dev.bonsai.api.report.TrialRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * How records are split into table rows and plot series: by the strategy, and by every other
 * {@link Dimension} with more than one value among the records.
 */
public final class Grouping {
    private Grouping() {
    }

    /** The dimensions rows are split by: the strategy, and every other one with more than one value. */
    public static List<Dimension> rowDimensions(List<TrialRecord> trials) {
        List<Dimension> dims = new ArrayList<>();
        dims.add(Dimension.STRATEGY);
        for (Dimension d : Dimension.values()) {
            if (d != Dimension.STRATEGY && distinct(trials, d::of).size() > 1) {
                dims.add(d);
            }
        }
        return List.copyOf(dims);
    }

    /**
     * The distinct keys of {@code trials} over {@code dims}, ordered by the first appearance of their first
     * dimension's value, then of the second's, and so on.
     */
    public static List<List<String>> keys(List<TrialRecord> trials, List<Dimension> dims) {
        List<Map<String, Integer>> firstSeen = new ArrayList<>();
        for (Dimension d : dims) {
            Map<String, Integer> seen = new HashMap<>();
            for (TrialRecord r : trials) {
                seen.putIfAbsent(d.of(r), seen.size());
            }
            firstSeen.add(seen);
        }
        Comparator<List<String>> order = (a, b) -> {
            for (int i = 0; i < a.size(); i++) {
                int c = Integer.compare(firstSeen.get(i).get(a.get(i)), firstSeen.get(i).get(b.get(i)));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
        return trials.stream().map(r -> key(r, dims)).distinct().sorted(order).toList();
    }

    /** The record's values of {@code dims}. */
    public static List<String> key(TrialRecord r, List<Dimension> dims) {
        List<String> key = new ArrayList<>(dims.size());
        for (Dimension d : dims) {
            key.add(d.of(r));
        }
        return List.copyOf(key);
    }

    /** The distinct target sparsities, ascending. */
    public static List<Double> sparsities(List<TrialRecord> trials) {
        return trials.stream().map(TrialRecord::targetSparsity).distinct().sorted(Comparator.naturalOrder()).toList();
    }

    /** The distinct non-empty values of {@code field}, in order of first appearance. */
    public static Set<String> distinct(List<TrialRecord> records, Function<TrialRecord, String> field) {
        Set<String> values = new LinkedHashSet<>();
        for (TrialRecord r : records) {
            String v = field.apply(r);
            if (v != null && !v.isEmpty()) {
                values.add(v);
            }
        }
        return values;
    }
}
