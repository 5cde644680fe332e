package dev.bonsai.reports.model;

import dev.bonsai.api.report.TrialRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where a report's trials come from, as their records tell it: a list of labelled entries (trials, models,
 * datasets, engines and devices, machines, seeds, dataset checksums, versions, failures) that every report shows in
 * this order. Values keep the order in which the trials first name them; absent values are left out.
 */
public final class Provenance {
    private static final String NOT_RECORDED = "not recorded";

    /**
     * One labelled entry.
     *
     * @param label what the entry tells
     * @param value its text
     */
    public record Entry(String label, List<Span> value) {
        /** Copies the value. */
        public Entry {
            value = List.copyOf(value);
        }
    }

    private Provenance() {
    }

    /** The entries for {@code trials} (one record per trial). */
    public static List<Entry> of(List<TrialRecord> trials) {
        Map<String, Integer> engines = new LinkedHashMap<>();
        Map<String, Set<String>> machines = new LinkedHashMap<>();
        Map<String, Set<String>> checksums = new LinkedHashMap<>();
        for (TrialRecord r : trials) {
            engines.merge(ReportModel.engineDevice(r), 1, Integer::sum);
            Map<String, String> p = r.provenance();
            String machine = Stream.of(p.get("gpu"), p.get("cpu"), p.get("os"), p.get("jvm"))
                    .filter(v -> v != null && !v.isBlank()).collect(Collectors.joining("; "));
            if (!machine.isEmpty()) {
                machines.computeIfAbsent(ReportModel.engineDevice(r), k -> new LinkedHashSet<>()).add(machine);
            }
            String sha = p.get(MetricNames.DATASET_SHA256);
            if (sha != null) {
                checksums.computeIfAbsent(Objects.toString(r.dataset(), "?"), k -> new LinkedHashSet<>()).add(sha);
            }
        }
        long failed = trials.stream().filter(r -> !r.ok()).count();
        Set<String> datasets = Grouping.distinct(trials, TrialRecord::dataset);
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry("Trials", List.of(Span.plain(trials.size() + " (" + (trials.size() - failed) + " ok, "
                + failed + " failed)"))));
        entries.add(new Entry("Models", codes(Grouping.distinct(trials, TrialRecord::model))));
        entries.add(new Entry("Datasets", codes(datasets)));
        entries.add(new Entry("Engines / devices", groups(engines, (n, spans) -> spans.add(
                Span.plain(" (" + ReportNumbers.plural(n, "trial") + ")")), Span.plain(", "))));
        entries.add(new Entry("Machines (as recorded)", machines.isEmpty() ? List.of(Span.note(NOT_RECORDED))
                : groups(machines, (m, spans) -> spans.add(Span.plain(": " + String.join(" | ", m))),
                        Span.lineBreak())));
        entries.add(new Entry("Seeds", List.of(Span.plain(new TreeSet<>(trials.stream().map(TrialRecord::seed)
                .toList()).stream().map(String::valueOf).collect(Collectors.joining(", "))))));
        entries.add(new Entry("Dataset SHA-256", checksums(checksums, datasets.size() > 1)));
        entries.add(new Entry("Bonsai version",
                codes(Grouping.distinct(trials, r -> r.provenance().get(MetricNames.BONSAI_VERSION)))));
        entries.add(new Entry("Git revision",
                codes(Grouping.distinct(trials, r -> r.provenance().get(MetricNames.GIT_REVISION)))));
        entries.add(new Entry("Failed trials", List.of(Span.plain(failed == 0 ? "none" : failed + ", listed below"))));
        return List.copyOf(entries);
    }

    /** The checksums; with several datasets, each dataset's after its name. */
    private static List<Span> checksums(Map<String, Set<String>> byDataset, boolean perDataset) {
        if (byDataset.isEmpty()) {
            return List.of(Span.note(NOT_RECORDED));
        }
        if (!perDataset) {
            return codes(byDataset.values().iterator().next());
        }
        List<Span> spans = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : byDataset.entrySet()) {
            if (!spans.isEmpty()) {
                spans.add(Span.plain("; "));
            }
            spans.add(Span.plain(e.getKey() + ": "));
            spans.addAll(codes(e.getValue()));
        }
        return spans;
    }

    /** What follows a group's key in {@link #groups}. */
    private interface GroupText<V> {
        void append(V value, List<Span> spans);
    }

    /** Each key in code, followed by its value's text, the groups separated by {@code separator}. */
    private static <V> List<Span> groups(Map<String, V> groups, GroupText<V> text, Span separator) {
        List<Span> spans = new ArrayList<>();
        for (Map.Entry<String, V> e : groups.entrySet()) {
            if (!spans.isEmpty()) {
                spans.add(separator);
            }
            spans.add(Span.code(e.getKey()));
            text.append(e.getValue(), spans);
        }
        return spans;
    }

    /** The values in code, separated by commas, or a note that there are none. */
    private static List<Span> codes(Collection<String> values) {
        if (values.isEmpty()) {
            return List.of(Span.note(NOT_RECORDED));
        }
        List<Span> spans = new ArrayList<>();
        for (String v : values) {
            if (!spans.isEmpty()) {
                spans.add(Span.plain(", "));
            }
            spans.add(Span.code(v));
        }
        return spans;
    }
}
