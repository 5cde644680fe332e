package dev.bonsai.reports.html;

import static dev.bonsai.reports.model.MetricNames.DENSE_ACCURACY;
import static dev.bonsai.reports.model.MetricNames.FINAL_ACCURACY;
import static dev.bonsai.reports.model.MetricNames.LAYER_SPARSITY;
import static dev.bonsai.reports.model.MetricNames.PRUNED_ACCURACY;
import static dev.bonsai.reports.model.ReportModel.engineDevice;
import static dev.bonsai.reports.model.ReportNumbers.count;
import static dev.bonsai.reports.model.ReportNumbers.percent;

import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.reports.model.Curves;
import dev.bonsai.reports.model.Grouping;
import dev.bonsai.reports.model.ReportModel;
import dev.bonsai.reports.model.ReportNumbers;
import dev.bonsai.reports.model.Sensitivity;
import dev.bonsai.reports.stats.ConfidenceInterval;
import dev.bonsai.reports.stats.Statistics;
import dev.bonsai.reports.stats.Summary;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The plots of {@code report.html}, drawn from the {@link ReportModel}: test accuracy after fine-tuning and after
 * pruning vs target sparsity, the sensitivity analysis, accuracy vs non-zero parameters with its Pareto front, the
 * sparsity per layer, the training curves and the time per phase. A plot without data is left out.
 */
final class HtmlPlots {
    static final List<String> PHASES = List.of("load", "train", "prune", "finetune", "evaluate");
    private static final String SEP = " · ";

    private final ReportModel model;
    private final List<TrialRecord> ok;
    private final List<List<String>> rows;
    /** The finite target sparsities: a plot's x axis cannot place the others. */
    private final List<Double> sparsities;
    private final StringBuilder out = new StringBuilder(32 * 1024);

    HtmlPlots(ReportModel model) {
        this.model = model;
        this.ok = model.ok();
        this.rows = model.rowKeys();
        this.sparsities = model.sparsities().stream().filter(Double::isFinite).toList();
    }

    /** The figures, each a {@code <figure>} with its heading, SVG and caption. */
    String render() {
        accuracyPlot(FINAL_ACCURACY, "Test accuracy after fine-tuning",
                "Mean final test accuracy per strategy; the band is the 95% confidence interval over seeds.", false);
        accuracyPlot(PRUNED_ACCURACY, "Test accuracy after pruning, before fine-tuning",
                "Mean test accuracy right after the last pruning step, before fine-tuning; band: 95% confidence"
                        + " interval.", false);
        accuracyPlot(PRUNED_ACCURACY, "Sensitivity analysis", "Each layer pruned alone to each target sparsity"
                + " (the others dense): mean test accuracy right after pruning, before any fine-tuning, one curve per"
                + " strategy and layer; band: 95% confidence interval. A layer whose curve falls early is sensitive.",
                true);
        paretoPlot();
        layerSparsityPlot();
        trainingCurves();
        timePlot();
        return out.toString();
    }


    /** Metric vs sparsity, one series per row: the rows of a sensitivity analysis, or all others. */
    private void accuracyPlot(String metric, String title, String caption, boolean sensitivity) {
        List<Charts.Series> series = new ArrayList<>();
        List<Double> present = new ArrayList<>();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        boolean logX = logCompression();
        for (List<String> row : rows) {
            boolean rowIsSensitivity = model.sparsities().stream().flatMap(s -> model.cell(row, s).stream())
                    .anyMatch(r -> Sensitivity.layer(r).isPresent());
            if (rowIsSensitivity != sensitivity) {
                continue;
            }
            List<Charts.Point> points = new ArrayList<>();
            for (double s : sparsities) {
                double[] values = values(model.cell(row, s), metric);
                if (values.length == 0) {
                    continue;
                }
                Summary sum = Summary.of(values);
                ConfidenceInterval ci = sum.ci95();
                points.add(new Charts.Point(logX ? compression(s) : 100 * s, sum.mean(), ci.lower(), ci.upper(),
                        seriesName(row) + SEP + percent(s) + ": " + fixed(sum.mean()) + "%"
                                + (ci.defined() ? " [" + fixed(ci.lower()) + ", " + fixed(ci.upper()) + "]" : "")
                                + " (n=" + sum.n() + ")"));
                present.add(s);
                min = Math.min(min, ci.defined() ? ci.lower() : sum.mean());
                max = Math.max(max, ci.defined() ? ci.upper() : sum.mean());
            }
            if (!points.isEmpty()) {
                series.add(series(row, points));
            }
        }
        if (series.isEmpty()) {
            return;
        }
        List<Charts.Reference> references = new ArrayList<>();
        Map<String, double[]> dense = denseByEngine();
        if (dense.size() <= 3) {
            for (var e : dense.entrySet()) {
                double mean = Statistics.mean(e.getValue());
                String label = dense.size() == 1 ? "dense baseline" : "dense, " + e.getKey();
                references.add(new Charts.Reference(mean, label + " (" + fixed(mean) + "%)"));
                min = Math.min(min, mean);
                max = Math.max(max, mean);
            }
        }
        Charts.Axis x = xAxis(present, logX);
        double pad = (max - min) * 0.06;
        Scale ys = Scale.niceLinear(min - pad, max + pad, Charts.yFrom(), Charts.yTo(), 0, 100);
        Charts.Axis y = new Charts.Axis(ys, ys.linearTicks(""), "test accuracy (%)");
        figure(title, Charts.lines(title + " vs sparsity", x, y, series, references), caption
                + (logX ? " The x axis is logarithmic in the compression 1 / (1 − sparsity)." : "")
                + (references.isEmpty() ? "" : " The dashed line is the dense model's mean test accuracy."));
    }

    private boolean logCompression() {
        List<Double> s = sparsities.stream().filter(v -> v >= 0 && v < 1).toList();
        if (s.size() < 2 || s.size() != sparsities.size()) {
            return false;
        }
        return compression(s.get(s.size() - 1)) / compression(s.get(0)) >= 4;
    }

    private Charts.Axis xAxis(List<Double> present, boolean logX) {
        List<Double> distinct = present.stream().distinct().sorted().toList();
        if (logX) {
            Scale xs = Scale.log(compression(distinct.get(0)), compression(distinct.get(distinct.size() - 1)), 0.06,
                    Charts.xFrom(), Charts.xTo());
            List<Scale.Tick> ticks = distinct.stream()
                    .map(s -> new Scale.Tick(compression(s), percent(s), times(compression(s)))).toList();
            return new Charts.Axis(xs, ticks, "target sparsity (%) and compression 1 / (1 − sparsity), log scale");
        }
        double lo = 100 * distinct.get(0);
        double hi = 100 * distinct.get(distinct.size() - 1);
        double pad = hi > lo ? (hi - lo) * 0.06 : 5;
        Scale xs = Scale.niceLinear(lo - pad, hi + pad, Charts.xFrom(), Charts.xTo());
        return new Charts.Axis(xs, xs.linearTicks("%"), "target sparsity (%)");
    }

    private void paretoPlot() {
        List<Charts.Series> series = new ArrayList<>();
        double minX = Double.POSITIVE_INFINITY;
        double maxX = 0;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (List<String> row : rows) {
            List<Charts.Point> points = new ArrayList<>();
            for (double s : sparsities) {
                List<TrialRecord> good = model.cell(row, s).stream()
                        .filter(r -> r.ok() && !Double.isNaN(r.metric(FINAL_ACCURACY)) && r.nonzeroParameters() > 0)
                        .toList();
                if (good.isEmpty()) {
                    continue;
                }
                Summary acc = Summary.of(good.stream().mapToDouble(r -> 100 * r.metric(FINAL_ACCURACY)).toArray());
                double nonzero = Statistics.mean(good.stream().mapToDouble(TrialRecord::nonzeroParameters).toArray());
                ConfidenceInterval ci = acc.ci95();
                points.add(new Charts.Point(nonzero, acc.mean(), ci.lower(), ci.upper(), seriesName(row) + SEP
                        + percent(s) + ": " + fixed(acc.mean()) + "% with " + count(nonzero)
                        + " non-zero parameters (n=" + acc.n() + ")"));
                minX = Math.min(minX, nonzero);
                maxX = Math.max(maxX, nonzero);
                minY = Math.min(minY, ci.defined() ? ci.lower() : acc.mean());
                maxY = Math.max(maxY, ci.defined() ? ci.upper() : acc.mean());
            }
            if (!points.isEmpty()) {
                series.add(series(row, points));
            }
        }
        if (series.isEmpty()) {
            return;
        }
        List<Charts.Point> densePoints = new ArrayList<>();
        Map<String, List<TrialRecord>> denseGroups = new LinkedHashMap<>();
        ok.stream().filter(r -> !Double.isNaN(r.metric(DENSE_ACCURACY)) && r.totalParameters() > 0)
                .forEach(r -> denseGroups.computeIfAbsent(engineDevice(r), k -> new ArrayList<>()).add(r));
        for (var e : denseGroups.entrySet()) {
            double[] perSeed = densePerSeed(e.getValue());
            if (perSeed.length == 0) {
                continue;
            }
            Summary acc = Summary.of(perSeed);
            ConfidenceInterval ci = acc.ci95();
            double total = Statistics.mean(e.getValue().stream().mapToDouble(TrialRecord::totalParameters).toArray());
            densePoints.add(new Charts.Point(total, acc.mean(), ci.lower(), ci.upper(), "dense" + SEP + e.getKey()
                    + ": " + fixed(acc.mean()) + "% with " + count(total) + " parameters (n=" + acc.n() + ")"));
            minX = Math.min(minX, total);
            maxX = Math.max(maxX, total);
            minY = Math.min(minY, ci.defined() ? ci.lower() : acc.mean());
            maxY = Math.max(maxY, ci.defined() ? ci.upper() : acc.mean());
        }
        if (!densePoints.isEmpty()) {
            series.add(new Charts.Series("dense model", Charts.PALETTE - 1, 3, 0, densePoints));
        }
        Scale xs = Scale.log(minX, maxX, 0.08, Charts.xFrom(), Charts.xTo());
        Charts.Axis x = new Charts.Axis(xs, xs.logTicks(Scale::compact), "non-zero trainable parameters (log scale)");
        double pad = (maxY - minY) * 0.06;
        Scale ys = Scale.niceLinear(minY - pad, maxY + pad, Charts.yFrom(), Charts.yTo(), 0, 100);
        Charts.Axis y = new Charts.Axis(ys, ys.linearTicks(""), "test accuracy (%)");
        figure("Test accuracy vs non-zero parameters", Charts.pareto("Test accuracy vs non-zero parameters", x, y,
                series), "One point per strategy and target sparsity: mean final test accuracy (whiskers: 95%"
                        + " confidence interval) against the mean number of non-zero trainable parameters. Ringed"
                        + " points form the Pareto front: no other configuration is as accurate with as few"
                        + " parameters.");
    }

    /** The rows that are not a sensitivity analysis's, with their records at {@code target}. */
    private Map<List<String>, List<TrialRecord>> atTarget(double target) {
        Map<List<String>, List<TrialRecord>> byRow = new LinkedHashMap<>();
        for (List<String> row : rows) {
            List<TrialRecord> cell = model.cell(row, target).stream()
                    .filter(r -> r.ok() && Sensitivity.layer(r).isEmpty()).toList();
            if (!cell.isEmpty()) {
                byRow.put(row, cell);
            }
        }
        return byRow;
    }

    /** The highest target sparsity of a pruned, successful trial outside a sensitivity analysis, if any. */
    private Optional<Double> highestTarget() {
        return ok.stream().filter(r -> Sensitivity.layer(r).isEmpty() && r.targetSparsity() > 0)
                .map(TrialRecord::targetSparsity).filter(Double::isFinite).max(Double::compare);
    }

    private void layerSparsityPlot() {
        Optional<Double> target = highestTarget();
        if (target.isEmpty()) {
            return;
        }
        Map<List<String>, List<TrialRecord>> byRow = atTarget(target.get());
        List<String> layers = byRow.values().stream().flatMap(List::stream)
                .flatMap(r -> r.metrics().keySet().stream()).filter(k -> k.startsWith(LAYER_SPARSITY)).distinct()
                .sorted(HtmlPlots::byNameThenNumber).toList();
        if (layers.isEmpty()) {
            return;
        }
        List<String> groups = new ArrayList<>();
        double[][] values = new double[byRow.size()][layers.size()];
        int g = 0;
        for (var e : byRow.entrySet()) {
            groups.add(seriesName(e.getKey()) + " (n=" + e.getValue().size() + ")");
            for (int l = 0; l < layers.size(); l++) {
                String key = layers.get(l);
                double[] v = e.getValue().stream().filter(r -> r.metrics().containsKey(key))
                        .mapToDouble(r -> 100 * r.metric(key)).toArray();
                values[g][l] = v.length == 0 ? Double.NaN : Statistics.mean(v);
            }
            g++;
        }
        List<String> names = layers.stream().map(k -> k.substring(LAYER_SPARSITY.length())).toList();
        figure("Sparsity per layer at " + percent(target.get()), Charts.groupedBars("Sparsity per layer", names,
                groups, values, "weights removed (%)"), "How each strategy spread a target of "
                        + percent(target.get()) + " over the prunable parameters: the mean fraction removed from each"
                        + " (over n seeds), measured against its original size. A global scope lets layers differ;"
                        + " layerwise holds every layer at the target.");
    }

    /** Parameter names in model order as far as names tell it: {@code block2} before {@code block10}. */
    static int byNameThenNumber(String a, String b) {
        String[] x = a.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)");
        String[] y = b.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            boolean numbers = Character.isDigit(x[i].charAt(0)) && Character.isDigit(y[i].charAt(0));
            int c = numbers ? new BigDecimal(x[i]).compareTo(new BigDecimal(y[i])) : x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    private void trainingCurves() {
        Optional<Double> target = highestTarget();
        Map<List<String>, List<TrialRecord>> byRow = target.map(this::atTarget).orElse(Map.of());
        List<Charts.Series> series = new ArrayList<>();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int lastEpoch = 0;
        int denseEpochs = 0;
        if (byRow.isEmpty()) { // dense-only records: one curve per engine/device
            Map<String, List<TrialRecord>> byEngine = new LinkedHashMap<>();
            ok.forEach(r -> byEngine.computeIfAbsent(engineDevice(r), k -> new ArrayList<>()).add(r));
            int colour = 0;
            for (var e : byEngine.entrySet()) {
                List<Charts.Point> points = curvePoints(e.getValue(), e.getKey());
                if (!points.isEmpty()) {
                    series.add(new Charts.Series(e.getKey(), colour, colour, colour / Charts.PALETTE, points));
                    colour++;
                }
            }
        } else {
            for (var e : byRow.entrySet()) {
                List<Charts.Point> points = curvePoints(e.getValue(), seriesName(e.getKey()));
                if (!points.isEmpty()) {
                    series.add(series(e.getKey(), points));
                }
                denseEpochs = Math.max(denseEpochs, e.getValue().stream()
                        .mapToInt(r -> Curves.of(r, Curves.DENSE_TRAIN_LOSS).size()).max().orElse(0));
            }
        }
        for (Charts.Series s : series) {
            for (Charts.Point p : s.points()) {
                min = Math.min(min, p.hasInterval() ? p.lower() : p.y());
                max = Math.max(max, p.hasInterval() ? p.upper() : p.y());
                lastEpoch = Math.max(lastEpoch, (int) p.x());
            }
        }
        if (series.isEmpty() || lastEpoch < 2) {
            return;
        }
        Scale xs = Scale.niceLinear(0.5, lastEpoch + 0.5, Charts.xFrom(), Charts.xTo());
        Charts.Axis x = new Charts.Axis(xs, xs.linearTicks(""), "epoch");
        double pad = (max - min) * 0.06 + 1e-9;
        Scale ys = Scale.niceLinear(Math.max(0, min - pad), max + pad, Charts.yFrom(), Charts.yTo());
        Charts.Axis y = new Charts.Axis(ys, ys.linearTicks(""), "mean training loss (nats)");
        figure("Training curves", Charts.lines("Training loss per epoch", x, y, series, List.of()),
                "Mean training loss per epoch (band: 95% confidence interval over seeds)"
                        + (denseEpochs > 0 && !byRow.isEmpty() ? ": epochs 1–" + denseEpochs + " train the dense"
                                + " model, the later ones fine-tune it after pruning to " + percent(target.get())
                                + " (the highest target), per strategy" : ", per engine and device") + ".");
    }

    /** The mean (over records) dense-then-fine-tuning loss curve of {@code records}, one point per epoch. */
    private static List<Charts.Point> curvePoints(List<TrialRecord> records, String name) {
        List<List<Double>> curves = records.stream().map(r -> {
            List<Double> c = new ArrayList<>(Curves.of(r, Curves.DENSE_TRAIN_LOSS));
            c.addAll(Curves.of(r, Curves.FINETUNE_LOSS));
            return c;
        }).filter(c -> !c.isEmpty()).toList();
        List<Charts.Point> points = new ArrayList<>();
        int epochs = curves.stream().mapToInt(List::size).max().orElse(0);
        for (int e = 0; e < epochs; e++) {
            int epoch = e;
            double[] v = curves.stream().filter(c -> c.size() > epoch).mapToDouble(c -> c.get(epoch))
                    .filter(Double::isFinite).toArray();
            if (v.length == 0) {
                continue;
            }
            Summary sum = Summary.of(v);
            ConfidenceInterval ci = sum.ci95();
            points.add(new Charts.Point(e + 1, sum.mean(), ci.defined() ? ci.lower() : Double.NaN,
                    ci.defined() ? ci.upper() : Double.NaN, name + SEP + "epoch " + (e + 1) + ": "
                            + String.format(Locale.ROOT, "%.4f", sum.mean()) + " (n=" + sum.n() + ")"));
        }
        return points;
    }

    private void timePlot() {
        List<TrialRecord> timed = ok.stream().filter(r -> !r.timings().isEmpty()).toList();
        if (timed.isEmpty()) {
            return;
        }
        List<String> phases = new ArrayList<>(PHASES);
        new TreeSet<>(timed.stream().flatMap(r -> r.timings().keySet().stream()).toList()).forEach(k -> {
            if (!phases.contains(k) && !"total".equals(k)) {
                phases.add(k);
            }
        });
        phases.removeIf(p -> timed.stream().noneMatch(r -> r.timings().containsKey(p)));
        boolean hardware = Grouping.distinct(timed, HtmlPlots::hardware).size() > 1;
        boolean strategies = Grouping.distinct(timed, TrialRecord::strategy).size() > 1;
        Map<String, List<TrialRecord>> groups = new LinkedHashMap<>();
        for (TrialRecord r : timed) {
            String label = engineDevice(r) + (hardware ? SEP + shortHardware(hardware(r)) : "")
                    + (strategies ? SEP + r.strategy() : "");
            groups.computeIfAbsent(label, k -> new ArrayList<>()).add(r);
        }
        List<Charts.Bar> bars = new ArrayList<>();
        for (var e : groups.entrySet()) {
            double[] segments = new double[phases.size()];
            for (int i = 0; i < phases.size(); i++) {
                String phase = phases.get(i);
                double[] v = e.getValue().stream().filter(r -> r.timings().containsKey(phase))
                        .mapToDouble(r -> r.timings().get(phase)).filter(Double::isFinite).toArray();
                segments[i] = v.length == 0 ? 0 : Statistics.mean(v);
            }
            bars.add(new Charts.Bar(e.getKey() + " (n=" + e.getValue().size() + ")", segments));
        }
        figure("Time per phase", Charts.stackedBars("Mean time per phase and trial", phases, bars,
                "mean seconds per trial", "s"), "Mean seconds per successful trial and phase, per engine/device"
                        + (hardware ? " and machine" : "") + (strategies ? " and strategy" : "")
                        + ". <code>train</code> is the dense training of the trial's seed, which that seed's trials"
                        + " share; <code>evaluate</code> includes the dense model's evaluation.");
    }

    private void figure(String title, String svg, String caption) {
        out.append("<figure>\n<h3>").append(Svg.escape(title)).append("</h3>\n").append(svg).append("<figcaption>")
                .append(caption).append("</figcaption>\n</figure>\n");
    }

    private static double[] values(List<TrialRecord> cell, String metric) {
        return values(cell, metric, 100);
    }

    private static double[] values(List<TrialRecord> cell, String metric, double scale) {
        return cell.stream().filter(r -> r.ok() && !Double.isNaN(r.metric(metric)))
                .mapToDouble(r -> scale * r.metric(metric)).toArray();
    }



    /**
     * A series of a row: its colour by strategy; where other fields (engine, device…) split the rows, its marker
     * shape and dash by their values, otherwise its shape by strategy too.
     */
    private Charts.Series series(List<String> row, List<Charts.Point> points) {
        List<String> strategies = rows.stream().map(r -> r.get(0)).distinct().toList();
        List<List<String>> rest = rows.stream().map(r -> r.subList(1, r.size())).distinct().toList();
        int colour = strategies.indexOf(row.get(0));
        int style = rest.indexOf(row.subList(1, row.size()));
        if (rest.size() > 1) {
            return new Charts.Series(seriesName(row), colour, style, style + colour / Charts.PALETTE, points);
        }
        return new Charts.Series(seriesName(row), colour, colour, colour / Charts.PALETTE, points);
    }

    private String seriesName(List<String> row) {
        return row.stream().filter(v -> !v.isEmpty()).collect(Collectors.joining(SEP));
    }


    /** The machine as recorded: the GPU where there is one, otherwise the CPU. */
    static String hardware(TrialRecord r) {
        String gpu = r.provenance().get("gpu");
        return gpu != null && !gpu.isBlank() ? gpu : r.provenance().get("cpu");
    }

    private static String shortHardware(String hardware) {
        if (hardware == null) {
            return "?";
        }
        String s = hardware.replaceAll("\\((R|TM)\\)", "").replaceAll("\\s+", " ").strip();
        return s.length() > 32 ? s.substring(0, 31) + "…" : s;
    }

    static double compression(double sparsity) {
        return 1 / (1 - sparsity);
    }

    static String times(double compression) {
        String s = compression >= 10 ? String.format(Locale.ROOT, "%.0f", compression)
                : String.format(Locale.ROOT, "%.1f", compression);
        return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s) + "×";
    }

    /** {@code value} with the two decimals of the plots' labels. */
    private static String fixed(double value) {
        return ReportNumbers.fixed(value, 2);
    }

    /** The dense test accuracy in %, one value per seed ({@link ReportModel#perSeed}). */
    private static double[] densePerSeed(List<TrialRecord> records) {
        return ReportModel.perSeed(records, r -> 100 * r.metric(DENSE_ACCURACY));
    }

    /** The successful trials' dense test accuracy per seed, by engine/device; engines without a finite one left out. */
    private Map<String, double[]> denseByEngine() {
        Map<String, List<TrialRecord>> groups = new LinkedHashMap<>();
        ok.stream().filter(r -> !Double.isNaN(r.metric(DENSE_ACCURACY)))
                .forEach(r -> groups.computeIfAbsent(engineDevice(r), k -> new ArrayList<>()).add(r));
        Map<String, double[]> byEngine = new LinkedHashMap<>();
        groups.forEach((k, v) -> {
            double[] perSeed = densePerSeed(v);
            if (perSeed.length > 0) {
                byEngine.put(k, perSeed);
            }
        });
        return byEngine;
    }
}
