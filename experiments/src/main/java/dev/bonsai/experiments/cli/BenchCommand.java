package dev.bonsai.experiments.cli;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Plugin;
import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.model.ModelProvider;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.bench.Benchmark;
import dev.bonsai.experiments.bench.Measurement;
import dev.bonsai.experiments.bench.ScoringCost;
import dev.bonsai.experiments.bench.SyntheticShape;
import dev.bonsai.experiments.bench.TorchPeer;
import dev.bonsai.experiments.descriptor.PluginOptions;
import dev.bonsai.experiments.plugins.PluginKind;
import dev.bonsai.experiments.plugins.PluginRegistry;
import dev.bonsai.experiments.run.FlopCounter;
import dev.bonsai.experiments.run.Provenance;
import dev.bonsai.api.model.ParameterRole;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.strategies.selection.MaskSelector;
import dev.bonsai.strategies.structure.ChannelGroups;
import dev.bonsai.strategies.structure.Compacted;
import dev.bonsai.strategies.structure.UnitRemoval;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bonsai bench}: training and inference throughput per engine, device and model, or with
 * {@code --pretrained} a pretrained language model's evaluation throughput and perplexity.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure training and inference throughput of zoo models on synthetic data, per engine and "
                + "device, or (--pretrained) a pretrained language model's evaluation of a dataset's test windows, "
                + "optionally next to the PyTorch peer measured in the same run.")
final class BenchCommand implements Callable<Integer> {
    private static final Logger LOG = LogManager.getLogger(BenchCommand.class);
    @Option(names = "--engine", paramLabel = "ID[:DEVICE]",
            description = "Engines to measure (repeatable); default: every available engine on cpu.")
    List<String> engines = new ArrayList<>();

    @Option(names = "--model", paramLabel = "ID", description = "Models to measure (repeatable); default: lenet-300-100.")
    List<String> models = new ArrayList<>();

    @Option(names = "--data", paramLabel = "SHAPE", defaultValue = "mnist",
            description = "Synthetic data shaped like: mnist, cifar or text (64-character windows). Default: mnist.")
    String data;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default 128).")
    int batch;

    @Option(names = "--samples", defaultValue = "60000", description = "Samples per epoch (default 60000).")
    int samples;

    @Option(names = "--repeats", defaultValue = "3", description = "Timed epochs after one warm-up; the best counts.")
    int repeats;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads per operator, for engines with a 'threads' option (0: the engine library's own count, "
                    + "one per core). Default: each engine's default (djl: one per core, fewer while other processes "
                    + "keep its threads waiting; dl4j: 1).")
    Integer threads;

    /** The threads the engine being measured was asked for, as the measurements show them. */
    private int shownThreads;

    @Option(names = "--peer", paramLabel = "SCRIPT",
            description = "Also run the PyTorch peer script (e.g. ../shared/peers/torch_lenet.py) and print the ratio.")
    Path peer;

    @Option(names = "--python", defaultValue = "/usr/bin/python3",
            description = "The Python with PyTorch for --peer (default /usr/bin/python3, Debian's python3-torch).")
    String python;

    @Option(names = "--peer-threads", defaultValue = "1", description = "Threads for the peer (default 1).")
    int peerThreads;

    @Option(names = "--neurons", paramLabel = "FRACTION", defaultValue = "0",
            description = "Also measure each model with this fraction of its hidden neurons removed (structured "
                    + "pruning: the model is rewritten smaller) and print the speedup beside the FLOP ratio.")
    double neurons;

    @Option(names = "--channels", paramLabel = "FRACTION", defaultValue = "0",
            description = "Also measure each model with this fraction of the output channels of every conv layer whose "
                    + "channels can be removed taken out (structured pruning: the model is rewritten smaller) and print "
                    + "the speedup beside the FLOP ratio.")
    double channels;

    @Option(names = "--scoring", paramLabel = "STRATEGY",
            description = "Also time scoring against training: 'obd' times OBD's Gauss–Newton diagonal over "
                    + "--scoring-samples samples and one epoch of gradients over the same samples, and their ratio.")
    String scoring;

    @Option(names = "--scoring-samples", defaultValue = "10000",
            description = "Calibration samples for --scoring (default 10000).")
    int scoringSamples;

    @Option(names = "--pretrained", paramLabel = "PATH",
            description = "Bench this pretrained language model's evaluation (llama2.c .bin, GGUF, Hugging Face folder, "
                    + "or a run's checkpoint of one) on --dataset's test windows instead of training zoo models: "
                    + "tokens/s and perplexity at the engine's default threads and at 1 thread; with --peer (the "
                    + "PyTorch peer torch_llama.py), the peer's on the same windows and the ratio.")
    Path pretrained;

    @Option(names = "--dataset", paramLabel = "ID",
            description = "With --pretrained: the tokenised text dataset whose test windows are evaluated "
                    + "(default tinystories; the peer evaluates tinystories only).")
    String dataset;

    @Option(names = "--context", paramLabel = "N",
            description = "With --pretrained: tokens per window (default: the dataset's default, the model's context).")
    Integer context;

    @Option(names = "--windows", paramLabel = "N",
            description = "With --pretrained: evaluate the first N test windows (the peer the same ones); default 0, "
                    + "the whole test split.")
    Integer windows;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "With --pretrained: a data root (DIR/<dataset>/<file>) looked in before BONSAI_DATA_DIR.")
    Path dataDir;

    @Option(names = "--json", description = "One JSON object per line per measurement.")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (batch <= 0 || samples < batch || repeats <= 0 || (threads != null && threads < 0)) {
            throw new BonsaiException("--batch and --repeats must be positive, --samples at least one batch, "
                    + "--threads ≥ 0");
        }
        if (scoring != null && !scoring.equals("obd")) {
            throw new BonsaiException("unknown --scoring '" + scoring + "' (known: obd)");
        }
        if (scoring != null && scoringSamples < 1) {
            throw new BonsaiException("--scoring-samples must be positive, got " + scoringSamples);
        }
        if (pretrained != null) {
            return benchPretrained();
        }
        for (Object[] option : new Object[][] {{"--dataset", dataset}, {"--context", context}, {"--windows", windows},
                {"--data-dir", dataDir}}) {
            if (option[1] != null) {
                throw new BonsaiException(option[0] + " is an option of a pretrained model's bench: add "
                        + "--pretrained PATH, or drop " + option[0]);
            }
        }
        SyntheticShape shape = parseShape(data);
        PluginRegistry registry = Bonsai.create().plugins();
        checkFraction("--neurons", neurons);
        checkFraction("--channels", channels);
        if (channels > 0) {
            for (String modelId : models.isEmpty() ? List.of("lenet-300-100") : models) {
                channelKernels(modelId, buildModel(registry, modelId, shape));
            }
        }
        Map<String, String> env = Provenance.environment(Path.of(""));
        String machine = env.get("cpu");
        List<Measurement> results = new ArrayList<>();
        for (String[] target : targets(registry)) {
            ComputeEngine<?> engine = (ComputeEngine<?>) registry.find(PluginKind.ENGINE, target[0]).orElseThrow(() ->
                    new BonsaiException("unknown engine '" + target[0] + "' (known: "
                            + String.join(", ", registry.of(PluginKind.ENGINE).keySet()) + ")"));
            if (!engine.availability(target[1]).available()) {
                throw new BonsaiException("engine '" + engine.id() + "' cannot use device '" + target[1] + "': "
                        + engine.availability(target[1]).reason());
            }
            shownThreads = shownThreads(engine);
            try (EngineRuntime runtime = create(engine)) {
                for (String modelId : models.isEmpty() ? List.of("lenet-300-100") : models) {
                    ModelSpec model = buildModel(registry, modelId, shape);
                    List<Measurement> dense = Benchmark.run(runtime, target[1], modelId, model, shape,
                            new Benchmark.Settings(batch, samples, repeats), reportedThreads(), machine);
                    results.addAll(dense);
                    if (neurons > 0) {
                        results.addAll(benchSmaller(runtime, target[1], modelId, model, shape, machine, dense,
                                Structure.Unit.NEURONS, neurons));
                    }
                    if (channels > 0) {
                        results.addAll(benchSmaller(runtime, target[1], modelId, model, shape, machine, dense,
                                Structure.Unit.CHANNELS, channels));
                    }
                    if (scoring != null) {
                        results.addAll(ScoringCost.run(runtime, target[1], modelId, model, shape, batch,
                                scoringSamples, repeats, reportedThreads(), machine));
                    }
                }
            }
        }
        if (peer != null) {
            double value = TorchPeer.trainSamplesPerSecond(python, peer, batch, peerThreads);
            results.add(new Measurement("torch-peer", "cpu", "lenet-300-100", batch, peerThreads, "train_samples_per_s",
                    value, machine));
        }
        print(results);
        return 0;
    }

    /**
     * A pretrained model's evaluation on each engine at its default threads (or {@code --threads}) and at 1 thread,
     * then the peer's on the same windows; engines left to the default that cannot run the model are skipped.
     */
    private Integer benchPretrained() {
        List<String> refused = new ArrayList<>();
        if (!models.isEmpty()) {
            refused.add("--model");
        }
        if (neurons > 0) {
            refused.add("--neurons");
        }
        if (channels > 0) {
            refused.add("--channels");
        }
        if (scoring != null) {
            refused.add("--scoring");
        }
        if (!refused.isEmpty()) {
            throw new BonsaiException(String.join(", ", refused) + " cannot go with --pretrained, which benches the "
                    + "evaluation of the pretrained model alone; drop " + String.join(", ", refused));
        }
        if ((context != null && context < 2) || (windows != null && windows < 0) || peerThreads < 1) {
            throw new BonsaiException("--context must be at least 2, --windows at least 0 (0: all) and --peer-threads "
                    + "at least 1, got " + context + ", " + windows + " and " + peerThreads);
        }
        PluginRegistry registry = Bonsai.create().plugins();
        PretrainedBench bench = PretrainedBench.load(registry, pretrained,
                dataset == null ? dev.bonsai.datasets.text.TinyStoriesProvider.ID : dataset,
                context == null ? 0 : context, windows == null ? 0 : windows, dataDir);
        if (peer != null) {
            bench.checkPeer(python, peer);
        }
        Map<String, String> env = Provenance.environment(Path.of(""));
        String machine = env.get("cpu");
        List<Measurement> results = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Integer asked = threads;
        for (String[] target : targets(registry)) {
            ComputeEngine<?> engine = (ComputeEngine<?>) registry.find(PluginKind.ENGINE, target[0]).orElseThrow(() ->
                    new BonsaiException("unknown engine '" + target[0] + "' (known: "
                            + String.join(", ", registry.of(PluginKind.ENGINE).keySet()) + ")"));
            if (!engine.availability(target[1]).available()) {
                throw new BonsaiException("engine '" + engine.id() + "' cannot use device '" + target[1] + "': "
                        + engine.availability(target[1]).reason());
            }
            List<String> missing = bench.spec().layers().stream()
                    .filter(l -> !engine.supportedLayers().contains(l.getClass())).map(l -> l.kind()).distinct()
                    .toList();
            if (engines.isEmpty() && !missing.isEmpty()) {
                // left to the default, an engine that cannot run the model is passed over; one named is refused
                LOG.info("Not benching {} on engine {}: it runs no {} layers", pretrained, engine.id(), missing);
                skipped.add(engine.id() + " runs no " + missing + " layers");
                continue;
            }
            List<Integer> counts = new ArrayList<>();
            counts.add(asked);
            if (asked == null || asked != 1) {
                counts.add(1);
            }
            for (Integer count : counts) {
                try (EngineRuntime runtime = create(engine, count)) {
                    results.addAll(bench.measure(runtime, target[1], shownThreads(engine, count), repeats, machine));
                }
            }
        }
        if (results.isEmpty()) {
            throw new BonsaiException("no available engine runs " + pretrained + ": " + String.join("; ", skipped)
                    + "; name one with --engine");
        }
        if (peer != null) {
            results.addAll(bench.measurePeer(python, peer, peerThreads, machine));
        }
        print(results);
        return 0;
    }

    /**
     * The model with {@code fraction} of its units removed, measured like the dense one, plus its speedups: of the
     * hidden neurons of every dense layer but the output one, or of the channels of every conv layer whose channels
     * can go ({@link ChannelGroups}). Units are chosen by weight magnitude; for speed only the sizes matter.
     */
    private List<Measurement> benchSmaller(EngineRuntime runtime, String device, String modelId, ModelSpec model,
            SyntheticShape shape, String machine, List<Measurement> dense, Structure.Unit unit, double fraction) {
        Weights weights = WeightInitializer.initialize(model, 1);
        List<ParameterSpec> hidden = new ArrayList<>(model.parameters(ParameterRole.WEIGHT));
        ChannelGroups groups = ChannelGroups.of(model);
        if (unit == Structure.Unit.CHANNELS) {
            hidden = channelKernels(modelId, model);
        } else {
            hidden.remove(hidden.size() - 1);
        }
        java.util.Map<String, float[]> scores = new java.util.LinkedHashMap<>();
        for (ParameterSpec p : hidden) {
            float[] w = weights.get(p.name()).data().clone();
            for (int i = 0; i < w.length; i++) {
                w[i] = Math.abs(w[i]);
            }
            scores.put(p.name(), w);
        }
        MaskSet masks = new MaskSelector().select(new Scores(scores), hidden, MaskSet.empty(), fraction,
                Scope.LAYERWISE, new Structure.Groups(unit));
        if (unit == Structure.Unit.CHANNELS) {
            masks = groups.withCompanions(masks);
        }
        Compacted smaller = UnitRemoval.compact(unit, model, masked(weights, masks), masks);
        String label = modelId + "-" + unit.name().toLowerCase(Locale.ROOT) + "-" + Math.round(100 * fraction) + "%";
        List<Measurement> out = new ArrayList<>(Benchmark.run(runtime, device, label, smaller.spec(), shape,
                new Benchmark.Settings(batch, samples, repeats), reportedThreads(), machine));
        double flopRatio = FlopCounter.forward(model, n -> 1) / FlopCounter.forward(smaller.spec(), n -> 1);
        for (Measurement d : dense) {
            out.stream().filter(m -> m.metric().equals(d.metric())).findFirst().ifPresent(m -> out.add(
                    new Measurement(d.engine(), d.device(), label, batch, d.threads(),
                            d.metric().replace("_samples_per_s", "_speedup"), m.value() / d.value(), machine)));
        }
        out.add(new Measurement(runtime.engineId(), device, label, batch, reportedThreads(), "flop_ratio", flopRatio,
                machine));
        return out;
    }

    /** The kernels of the conv layers of {@code model} whose channels can be removed; an error when there are none. */
    private static List<ParameterSpec> channelKernels(String modelId, ModelSpec model) {
        ChannelGroups groups = ChannelGroups.of(model);
        List<ParameterSpec> kernels = new ArrayList<>(model.parameters(ParameterRole.WEIGHT));
        kernels.removeIf(p -> !groups.removable().containsKey(p.layer()));
        if (kernels.isEmpty()) {
            throw new BonsaiException("--channels: model '" + modelId + "' has no conv layer whose channels can be "
                    + "removed" + (groups.excluded().isEmpty() ? "" : " " + groups.excluded())
                    + "; pick a CNN with --model (lenet-5, cnn) or use --neurons");
        }
        return kernels;
    }

    private static void checkFraction(String option, double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new BonsaiException(option + " must be in [0, 1), got " + fraction);
        }
    }

    /** {@code weights} with the masked elements zeroed, as a network holds them after {@code applyMasks}. */
    private static Weights masked(Weights weights, MaskSet masks) {
        Weights out = weights.copy();
        masks.asMap().forEach((name, mask) -> {
            float[] data = out.get(name).data();
            for (int i = 0; i < data.length; i++) {
                if (!mask.kept(i)) {
                    data[i] = 0;
                }
            }
        });
        return out;
    }

    private List<String[]> targets(PluginRegistry registry) {
        List<String[]> out = new ArrayList<>();
        if (engines.isEmpty()) {
            for (Plugin<?> p : registry.of(PluginKind.ENGINE).values()) {
                if (((ComputeEngine<?>) p).availability("cpu").available()) {
                    out.add(new String[] {p.id(), "cpu"});
                }
            }
        }
        for (String e : engines) {
            int colon = e.indexOf(':');
            out.add(colon < 0 ? new String[] {e, "cpu"} : new String[] {e.substring(0, colon), e.substring(colon + 1)});
        }
        return out;
    }

    private <O extends Record> EngineRuntime create(ComputeEngine<O> engine) {
        return create(engine, threads);
    }

    /** A runtime of {@code engine} at {@code threads} per operator, or at its default where null. */
    private static <O extends Record> EngineRuntime create(ComputeEngine<O> engine, Integer threads) {
        boolean hasThreads = java.util.Arrays.stream(engine.optionsType().getRecordComponents())
                .anyMatch(c -> c.getName().equals("threads"));
        String yaml = hasThreads && threads != null ? "{threads: " + threads + "}" : "{}";
        return engine.create(PluginOptions.bind(engine, yaml, "--threads"));
    }

    private static <O extends Record> ModelSpec build(ModelProvider<O> provider, SyntheticShape shape) {
        return provider.build(PluginOptions.bind(provider, "{}", "--model " + provider.id()), shape.info());
    }

    private ModelSpec buildModel(PluginRegistry registry, String id, SyntheticShape shape) {
        Plugin<?> p = registry.find(PluginKind.MODEL, id).orElseThrow(() -> new BonsaiException("unknown model '" + id
                + "' (known: " + String.join(", ", registry.of(PluginKind.MODEL).keySet()) + ")"));
        try {
            return build((ModelProvider<?>) p, shape);
        } catch (IllegalArgumentException e) {
            throw new BonsaiException("model '" + id + "' does not fit --data " + data + ": " + e.getMessage()
                    + "; try another --data (mnist, cifar, text)", e);
        }
    }

    private int reportedThreads() {
        return shownThreads;
    }

    /**
     * The threads {@code engine} is asked for: {@code --threads} or the default of its {@code threads} option, the
     * cores for 0 (and for engines without the option).
     */
    private <O extends Record> int shownThreads(ComputeEngine<O> engine) {
        return shownThreads(engine, threads);
    }

    /** The threads {@code engine} runs at when asked for {@code threads}, or for its default where null. */
    private static <O extends Record> int shownThreads(ComputeEngine<O> engine, Integer threads) {
        int asked = 0;
        if (threads != null) {
            asked = threads;
        } else {
            O defaults = PluginOptions.bind(engine, "{}", "--threads");
            for (java.lang.reflect.RecordComponent c : engine.optionsType().getRecordComponents()) {
                if (c.getName().equals("threads") && (c.getType() == int.class || c.getType() == Integer.class)) {
                    try {
                        asked = ((Number) c.getAccessor().invoke(defaults)).intValue();
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException("cannot read the threads option of engine " + engine.id(), e);
                    }
                }
            }
        }
        return asked == 0 ? Runtime.getRuntime().availableProcessors() : asked;
    }

    private static SyntheticShape parseShape(String value) {
        try {
            return SyntheticShape.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BonsaiException("unknown --data '" + value + "' (known: mnist, cifar, text)", e);
        }
    }

    private void print(List<Measurement> results) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            for (Measurement m : results) {
                // a perplexity keeps the digits that show whether two implementations agree
                String value = String.format(Locale.ROOT,
                        m.metric().equals(PretrainedBench.PERPLEXITY) ? "%.6f" : "%.3f", m.value());
                out.printf(Locale.ROOT, "{\"engine\":\"%s\",\"device\":\"%s\",\"model\":\"%s\",\"batch\":%d,\"threads\":%d,"
                        + "\"metric\":\"%s\",\"value\":%s,\"machine\":\"%s\"}%n", m.engine(), m.device(), m.model(),
                        m.batch(), m.threads(), m.metric(), value, m.machine().replace("\"", "'"));
            }
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ENGINE", "DEVICE", "MODEL", "BATCH", "THREADS", "METRIC", "VALUE"});
            for (Measurement m : results) {
                String format = m.metric().equals(PretrainedBench.PERPLEXITY) ? "%.6f" : m.value() >= 100 ? "%.0f" : "%.3f";
                rows.add(new String[] {m.engine(), m.device(), m.model(), Integer.toString(m.batch()),
                        Integer.toString(m.threads()), m.metric(), String.format(Locale.ROOT, format, m.value())});
            }
            PluginsCommand.Tables.print(out, rows);
            out.println("machine: " + (results.isEmpty() ? "" : results.get(0).machine()));
        }
        if (pretrained != null) {
            printEvaluationRatios(out, results);
            out.flush();
            return;
        }
        results.stream().filter(m -> m.engine().equals("torch-peer")).findFirst().ifPresent(p -> results.stream()
                .filter(m -> !m.engine().equals("torch-peer") && m.model().equals(p.model())
                        && m.metric().equals(p.metric()) && m.batch() == p.batch())
                .forEach(m -> out.printf(Locale.ROOT, json
                        ? "{\"engine\":\"%s\",\"device\":\"%s\",\"model\":\"%s\",\"metric\":\"ratio_to_torch_peer\",\"value\":%.3f}%n"
                        : "%s:%s %s training vs the PyTorch peer: %.2f×%n", m.engine(), m.device(), m.model(),
                        m.value() / p.value())));
        out.flush();
    }

    /**
     * Each engine's evaluation throughput against the peer's, at every thread count measured, and the relative
     * difference of its perplexity from the peer's.
     */
    private void printEvaluationRatios(PrintWriter out, List<Measurement> results) {
        Measurement peerSpeed = find(results, PretrainedBench.PEER, PretrainedBench.TOKENS_PER_S, -1);
        Measurement peerPerplexity = find(results, PretrainedBench.PEER, PretrainedBench.PERPLEXITY, -1);
        if (peerSpeed == null || peerPerplexity == null) {
            return;
        }
        for (Measurement m : results) {
            if (m.engine().equals(PretrainedBench.PEER) || !m.metric().equals(PretrainedBench.TOKENS_PER_S)) {
                continue;
            }
            double ratio = m.value() / peerSpeed.value();
            Measurement perplexity = find(results, m.engine(), PretrainedBench.PERPLEXITY, m.threads());
            double difference = Math.abs(perplexity.value() - peerPerplexity.value()) / peerPerplexity.value();
            if (json) {
                out.printf(Locale.ROOT, "{\"engine\":\"%s\",\"device\":\"%s\",\"model\":\"%s\",\"threads\":%d,"
                        + "\"metric\":\"ratio_to_torch_peer\",\"value\":%.3f}%n", m.engine(), m.device(), m.model(),
                        m.threads(), ratio);
                out.printf(Locale.ROOT, "{\"engine\":\"%s\",\"device\":\"%s\",\"model\":\"%s\",\"threads\":%d,"
                        + "\"metric\":\"perplexity_relative_difference_to_torch_peer\",\"value\":%.3e}%n", m.engine(),
                        m.device(), m.model(), m.threads(), difference);
            } else {
                out.printf(Locale.ROOT, "%s:%s %s evaluation at %d thread%s vs the PyTorch peer at %d: %.2f×; "
                        + "perplexity %.6f vs %.6f (relative difference %.1e)%n", m.engine(), m.device(), m.model(),
                        m.threads(), m.threads() == 1 ? "" : "s", peerSpeed.threads(), ratio, perplexity.value(),
                        peerPerplexity.value(), difference);
            }
        }
    }

    /** The measurement of {@code engine} and {@code metric} (at {@code threads}, unless negative), or null. */
    private static Measurement find(List<Measurement> results, String engine, String metric, int threads) {
        return results.stream().filter(m -> m.engine().equals(engine) && m.metric().equals(metric)
                && (threads < 0 || m.threads() == threads)).findFirst().orElse(null);
    }
}
