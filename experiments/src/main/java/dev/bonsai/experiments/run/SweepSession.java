package dev.bonsai.experiments.run;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.BatchSampler;
import dev.bonsai.api.data.DataFiles;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.engine.Evaluation;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.engine.TrainingConfig;
import dev.bonsai.api.engine.TrainingPlan;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.datasets.Splits;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.experiments.executor.Placement;
import dev.bonsai.experiments.executor.TrialWorker;
import dev.bonsai.experiments.plugins.DatasetSettings;
import dev.bonsai.experiments.plugins.EngineSettings;
import dev.bonsai.experiments.plugins.PluginRef;
import dev.bonsai.experiments.run.ExperimentRunner.DenseResult;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The trials of one experiment in one JVM: loads the data and creates the engine on first use, trains each seed's
 * dense model once per device and shares it with that seed's trials, and runs trials by id. Used by the driver
 * (the {@code local} executor) and by remote workers alike, so a record is computed the same way wherever it is.
 */
public final class SweepSession implements TrialWorker {
    private static final Logger LOG = LogManager.getLogger(SweepSession.class);

    private final ExperimentDescriptor descriptor;
    private final RunOptions options;
    private final DataFiles dataFiles;
    private final Progress progress;
    private final TrialRunner trialRunner;
    private final Map<String, TrialSpec> trials = new LinkedHashMap<>();
    private final Map<String, CompletableFuture<DenseResult>> dense = new ConcurrentHashMap<>();
    private Loaded loaded;
    private boolean closed;

    /** A session for the experiment's descriptor, as composed by the experiment's injector. */
    @Inject
    public SweepSession(ExperimentDescriptor descriptor, RunOptions options, DataFiles dataFiles, Progress progress,
            TrialRunner trialRunner) {
        this.descriptor = descriptor;
        this.options = options;
        this.dataFiles = dataFiles;
        this.progress = progress;
        this.trialRunner = trialRunner;
        SweepPlanner.plan(descriptor).forEach(t -> trials.put(t.id(), t));
    }

    @Override
    public TrialRecord run(String trialId, Placement placement) {
        TrialSpec trial = trials.get(trialId);
        if (trial == null) {
            throw new BonsaiException("no trial '" + trialId + "' in experiment '" + descriptor.name() + "' as read "
                    + "here: the descriptor, its overrides or Bonsai's version differ from the driver's; run the same "
                    + "Bonsai build on every machine");
        }
        Loaded l = loaded();
        String device = placement.device().orElse(l.device());
        DenseResult d = dense(trial.seed(), device, l);
        Map<String, String> provenance = new TreeMap<>(l.provenance());
        provenance.put("executor", placement.executor());
        provenance.put("host", hostName());
        placement.device().ifPresent(assigned -> provenance.put("device_assigned", assigned));
        provenance.putAll(placement.provenance());
        return trialRunner.run(trial, l.runtime(), l.spec(), device, l.data(), d, l.loadSeconds(), provenance);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (loaded != null) {
            loaded.runtime().close();
            loaded = null;
        }
    }

    private synchronized Loaded loaded() {
        if (closed) {
            throw new IllegalStateException("session of '" + descriptor.name() + "' is closed");
        }
        if (loaded == null) {
            loaded = load();
        }
        return loaded;
    }

    private Loaded load() {
        long t0 = System.nanoTime();
        DatasetSettings dataSettings = descriptor.dataset().settings(DatasetSettings.class);
        Dataset raw = PluginCalls.loadDataset(descriptor.dataset(), dataFiles);
        Dataset data = Splits.withValidation(raw, dataSettings.validation(), descriptor.seeds().get(0));
        double loadSeconds = ExperimentRunner.seconds(t0);
        LOG.info("dataset {}: {} training, {} validation, {} test samples ({} s)", data.info().id(), data.train().size(),
                data.validation().map(s -> s.size()).orElse(0), data.test().size(), String.format("%.2f", loadSeconds));
        ModelSpec spec = PluginCalls.buildModel(descriptor.model(), data.info());
        ComputeEngine<?> engine = descriptor.engine().as(ComputeEngine.class);
        checkLayers(engine, spec);
        descriptor.prune().ifPresent(p -> PrunableSet.of(spec, p.exclude(), p.overrides(), p.structure()));
        String device = descriptor.engine().settings(EngineSettings.class).device();
        Map<String, String> provenance = provenance(data);
        EngineRuntime runtime = PluginCalls.createEngine(descriptor.engine());
        provenance.put("engine_versions", runtime.versions());
        return new Loaded(data, loadSeconds, spec, device, runtime, Map.copyOf(provenance));
    }

    /** The seed's dense model on {@code device}, trained by the first trial that needs it; others wait for it. */
    private DenseResult dense(long seed, String device, Loaded l) {
        String key = seed + "@" + device;
        CompletableFuture<DenseResult> mine = new CompletableFuture<>();
        CompletableFuture<DenseResult> existing = dense.putIfAbsent(key, mine);
        if (existing == null) {
            try {
                mine.complete(trainDense(l, device, seed));
            } catch (RuntimeException | Error e) {
                dense.remove(key, mine);
                mine.completeExceptionally(e);
                throw e;
            }
            return mine.join();
        }
        try {
            return existing.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private DenseResult trainDense(Loaded l, String device, long seed) {
        Weights initial = WeightInitializer.initialize(l.spec(), seed);
        ExperimentDescriptor.TrainSection train = descriptor.train();
        TrainingConfig config = new TrainingConfig(train.epochs(), train.batch(), train.optimizer().toSpec(),
                train.lrSchedule().toSchedule(), train.gradientClip(), List.of(new LossTerm.CrossEntropy(1)));
        Dataset data = l.data();
        try (Network network = l.runtime().build(l.spec(), initial, device)) {
            long t0 = System.nanoTime();
            try (Progress.Phase phase = progress.phase("seed " + seed + " · dense training", train.epochs())) {
                network.train(new TrainingPlan(data.train(), new BatchSampler(seed), 0, config, Optional.empty()), phase);
            }
            double trainSeconds = ExperimentRunner.seconds(t0);
            network.evaluate(data.test(), TrialRunner.EVAL_BATCH); // warm-up, so the timed pass below is fair
            long e0 = System.nanoTime();
            Evaluation test = network.evaluate(data.test(), TrialRunner.EVAL_BATCH);
            double inference = data.test().size() / ExperimentRunner.seconds(e0);
            Optional<Evaluation> validation = data.validation().map(v -> network.evaluate(v, TrialRunner.EVAL_BATCH));
            boolean sequence = data.test().labelsPerSample() > 1;
            LOG.info("seed {}: dense test accuracy {}% (loss {}) after {} s of training", seed,
                    String.format("%.2f", 100 * test.accuracy()), String.format("%.4f", test.loss()),
                    String.format("%.1f", trainSeconds));
            return new DenseResult(network.weights(), config, test, validation, sequence, inference, trainSeconds,
                    ExperimentRunner.seconds(e0));
        }
    }

    private static void checkLayers(ComputeEngine<?> engine, ModelSpec spec) {
        for (LayerSpec layer : spec.layers()) {
            if (!engine.supportedLayers().contains(layer.getClass())) {
                throw new BonsaiException("engine '" + engine.id() + "' cannot run layer '" + layer.name() + "' ("
                        + layer.kind() + ") of model '" + spec.name() + "'");
            }
        }
    }

    private Map<String, String> provenance(Dataset data) {
        Map<String, String> p = new TreeMap<>(Provenance.environment(Path.of("")));
        p.put("descriptor_hash", ExperimentRunner.descriptorHash(descriptor));
        p.put("descriptor_file", options.descriptorFile().toString());
        p.put("dataset_sha256", new TreeMap<>(data.info().sha256()).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
        for (PluginRef ref : allRefs()) {
            p.put("plugin." + ref.kind().label() + "." + ref.id(), ref.plugin().version());
        }
        return p;
    }

    private List<PluginRef> allRefs() {
        List<PluginRef> refs = new ArrayList<>(List.of(descriptor.engine(), descriptor.dataset(), descriptor.model()));
        descriptor.prune().ifPresent(p -> {
            refs.add(p.schedule());
            refs.addAll(p.strategies());
        });
        return refs;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    /** What every trial of the session shares. */
    private record Loaded(Dataset data, double loadSeconds, ModelSpec spec, String device, EngineRuntime runtime,
            Map<String, String> provenance) {
    }
}
