package dev.bonsai.experiments.run;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.BatchSampler;
import dev.bonsai.api.data.DataFiles;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.distill.TrainingStage;
import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.engine.Evaluation;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.engine.TrainingConfig;
import dev.bonsai.api.engine.TrainingPlan;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.PretrainedParts;
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
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * The trials of one experiment in one JVM: loads the data and creates each engine on first use, trains each seed's
 * dense model once per engine and device and shares it with that seed's trials, and runs trials by id. Used by the driver
 * (the {@code local} executor) and by remote workers alike, so a record is computed the same way wherever it is.
 */
public final class SweepSession implements TrialWorker {
    private static final Logger LOG = LogManager.getLogger(SweepSession.class);
    /** The test windows a pretrained model's warm-up pass reads. */
    private static final int WARM_UP_WINDOWS = 16;

    private final ExperimentDescriptor descriptor;
    private final RunOptions options;
    private final DataFiles dataFiles;
    private final Progress progress;
    private final TrialRunner trialRunner;
    private final Map<String, ComputeEngine<?>> allEngines;
    private final TrialOutputs outputs;
    private Teachers teachers;
    private final Map<String, CompletableFuture<DenseResult>> dense = new ConcurrentHashMap<>();
    private final Map<String, Engine> engines = new LinkedHashMap<>();
    private Map<String, TrialSpec> trials;
    private Loaded loaded;
    private boolean closed;

    /** A session for the experiment's descriptor, as composed by the experiment's injector. */
    @Inject
    public SweepSession(ExperimentDescriptor descriptor, RunOptions options, DataFiles dataFiles, Progress progress,
            TrialRunner trialRunner, Map<String, ComputeEngine<?>> allEngines, TrialOutputs outputs) {
        this.descriptor = descriptor;
        this.options = options;
        this.dataFiles = dataFiles;
        this.progress = progress;
        this.trialRunner = trialRunner;
        this.allEngines = allEngines;
        this.outputs = outputs;
    }

    /**
     * The experiment's trials in the sweep's order. A sensitivity analysis has a trial per prunable layer, so its
     * plan loads the data and builds the model first; other plans need neither.
     */
    public List<TrialSpec> plan() {
        return SweepPlanner.sensitivity(descriptor)
                ? SweepPlanner.plan(descriptor, loaded().prunable().orElseThrow().layers())
                : SweepPlanner.plan(descriptor);
    }

    private synchronized Map<String, TrialSpec> trials() {
        if (trials == null) {
            trials = new LinkedHashMap<>();
            plan().forEach(t -> trials.put(t.id(), t));
        }
        return trials;
    }

    @Override
    public TrialRecord run(String trialId, Placement placement) {
        TrialSpec trial = trials().get(trialId);
        if (trial == null) {
            throw new BonsaiException("no trial '" + trialId + "' in experiment '" + descriptor.name() + "' as read "
                    + "here: the descriptor, its overrides or Bonsai's version differ from the driver's; run the same "
                    + "Bonsai build on every machine");
        }
        Loaded l = loaded();
        Engine engine = engine(trial.engine());
        String device = placement.device().orElse(trial.engine().settings(EngineSettings.class).device());
        DenseResult d = dense(trial, engine.runtime(), device, l);
        Map<String, String> provenance = new TreeMap<>(l.provenance());
        provenance.putAll(engine.provenance());
        provenance.put("executor", placement.executor());
        provenance.put("host", hostName());
        placement.device().ifPresent(assigned -> provenance.put("device_assigned", assigned));
        provenance.putAll(placement.provenance());
        return trialRunner.run(trial, engine.runtime(), l.spec(), device, l.data(), d, l.loadSeconds(), provenance);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (teachers != null) {
            teachers.close();
            teachers = null;
        }
        engines.values().forEach(e -> e.runtime().close());
        engines.clear();
        loaded = null;
    }

    /** The runtime of {@code ref}, created on first use, with its provenance. */
    private synchronized Engine engine(PluginRef ref) {
        String key = ExperimentDescriptor.engineLabel(ref);
        Engine engine = engines.get(key);
        if (engine == null) {
            EngineRuntime runtime = PluginCalls.createEngine(ref);
            Map<String, String> p = new TreeMap<>();
            p.put("plugin." + ref.kind().label() + "." + ref.id(), ref.plugin().version());
            p.put("engine_versions", runtime.versions());
            engine = new Engine(runtime, Map.copyOf(p));
            engines.put(key, engine);
        }
        return engine;
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

    /**
     * Refuses, before any work, a strategy that compares its scores within output rows when the structure removes
     * whole rows (neurons, channels, heads), naming the strategy: the descriptor's scope cannot fix that.
     */
    private static void checkStrategyScopes(ExperimentDescriptor.PruneSection prune) {
        if (!(prune.structure() instanceof dev.bonsai.api.prune.Structure.Groups groups)) {
            return;
        }
        for (PluginRef strategy : prune.strategies()) {
            if (PluginCalls.scope(strategy).orElse(prune.scope()) == dev.bonsai.api.prune.Scope.ROW) {
                throw new BonsaiException("strategy '" + strategy.id() + "' compares its scores within each output "
                        + "row, but structure '" + groups.label() + "' removes whole rows; set its option to compare "
                        + "under the descriptor's scope (for wanda: {id: wanda, comparison: scope}), or scope: "
                        + "layerwise / global if the row scope is the descriptor's");
            }
        }
    }

    private Loaded load() {
        long t0 = System.nanoTime();
        DatasetSettings dataSettings = descriptor.dataset().settings(DatasetSettings.class);
        Optional<PretrainedParts> pretrained = PluginCalls.pretrained(descriptor.model());
        checkDenseTraining(pretrained.isPresent());
        Dataset raw = pretrained.isPresent()
                ? PluginCalls.loadTokenized(descriptor.dataset(), dataFiles, descriptor.model(), pretrained.get())
                : PluginCalls.loadDataset(descriptor.dataset(), dataFiles);
        Dataset data = Splits.withValidation(raw, dataSettings.validation(), descriptor.seeds().get(0));
        double loadSeconds = ExperimentRunner.seconds(t0);
        LOG.info("dataset {}: {} training, {} validation, {} test samples ({} s)", data.info().id(), data.train().size(),
                data.validation().map(s -> s.size()).orElse(0), data.test().size(), String.format("%.2f", loadSeconds));
        ModelSpec spec = PluginCalls.buildModel(descriptor.model(), data.info());
        pretrained.ifPresent(p -> p.weights().checkMatches(spec));
        for (PluginRef engine : descriptor.engine()) {
            LayerSupport.check(engine.as(ComputeEngine.class), spec, allEngines.values());
        }
        Optional<PrunableSet> prunable = descriptor.prune()
                .map(p -> PrunableSet.of(spec, p.exclude(), p.overrides(), p.structure()));
        descriptor.prune().ifPresent(p -> prunable.get().checkTargets(p.sparsities(), p.scope()));
        descriptor.prune().ifPresent(SweepSession::checkStrategyScopes);
        prunable.ifPresent(p -> p.excludedLayers().forEach((layer, why) ->
                LOG.info("{}s of {} '{}' are not pruned: {}", p.kind().unitName(), p.kind().layerName(), layer, why)));
        descriptor.prune().ifPresent(p -> checkSchedule(p, data.train().size() / descriptor.train().batch()));
        outputs.checkSamples(spec, data.info());
        // the augmentations, checked against the samples before any training (the configs are made again later)
        TrainingConfigs.of(descriptor.train(), descriptor.dataset(), data.info(), "train");
        descriptor.distill().flatMap(ExperimentDescriptor.DistillSection::teacher)
                .flatMap(ExperimentDescriptor.TeacherSection::train)
                .ifPresent(t -> TrainingConfigs.of(t, descriptor.dataset(), data.info(), "distill.teacher.train"));
        Teachers.check(descriptor, options.descriptorFile(), spec, data);
        Optional<PluginRef> teacherModel = descriptor.distill().flatMap(d -> d.teacher())
                .flatMap(ExperimentDescriptor.TeacherSection::model);
        if (teacherModel.isPresent()) {
            ModelSpec teacherSpec = PluginCalls.buildModel(teacherModel.get(), data.info());
            List<PluginRef> teacherEngines = descriptor.distill().get().teacher().get().engine().map(List::of)
                    .orElse(descriptor.engine());
            teacherEngines.forEach(e -> LayerSupport.check(e.as(ComputeEngine.class), teacherSpec,
                    allEngines.values()));
        }
        Map<String, String> provenance = new TreeMap<>(provenance(data));
        pretrained.ifPresent(p -> provenance.putAll(p.provenance()));
        pretrained.flatMap(p -> PluginCalls.protocol(descriptor.dataset(), p.context()))
                .ifPresent(p -> provenance.put("evaluation_protocol", p));
        return new Loaded(data, loadSeconds, spec, prunable, Map.copyOf(provenance), pretrained);
    }

    /**
     * Refuses {@code train.epochs: 0} for a model that would then stay untrained; a pretrained model is evaluated
     * as published with it, and trained further only when the descriptor gives epochs.
     */
    private void checkDenseTraining(boolean pretrained) {
        if (!pretrained && descriptor.train().epochs() == 0) {
            throw new BonsaiException("train.epochs is 0, which leaves model '" + descriptor.model().id()
                    + "' untrained: only a pretrained model may skip dense training; give at least 1 epoch");
        }
    }

    /**
     * Asks the schedule for its pruning steps during training at every target, so that options that do not fit the
     * fine-tuning's length are refused before any training.
     */
    private static void checkSchedule(ExperimentDescriptor.PruneSection prune, long stepsPerEpoch) {
        for (double target : prune.sparsities()) {
            for (dev.bonsai.api.prune.PruningStep step : PluginCalls.steps(prune.schedule(), target,
                    prune.finetune().epochs())) {
                PluginCalls.duringTraining(prune.schedule(), step.sparsity(), stepsPerEpoch, step.finetuneEpochs());
            }
        }
    }

    /**
     * The dense student of the trial's seed and recipe on its engine and {@code device}, trained by the first trial
     * that needs it; others wait for it.
     */
    private DenseResult dense(TrialSpec trial, EngineRuntime runtime, String device, Loaded l) {
        PluginRef engine = trial.engine();
        String key = engine.id() + "/" + device + "/" + trial.seed() + "/" + trial.recipeLabel();
        CompletableFuture<DenseResult> mine = new CompletableFuture<>();
        CompletableFuture<DenseResult> existing = dense.putIfAbsent(key, mine);
        if (existing == null) {
            try {
                mine.complete(trainDense(l, trial, runtime, device));
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

    /** The teacher of {@code seed} on {@code engine}: trained (or loaded) once, by the first student that needs it. */
    private synchronized Teachers.Teacher teacher(PluginRef engine, EngineRuntime runtime, long seed, Dataset data) {
        if (teachers == null) {
            teachers = new Teachers(descriptor, options.out(), options.descriptorFile(), data, progress);
        }
        try {
            return teachers.forSeed(engine, runtime, seed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the teacher of seed " + seed + " in " + options.out() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Trains the dense student of the trial's seed: on hard labels, or with its recipe against the teacher (the
     * recipe's training data, its stages, then its main loss, the epochs numbered on from stage to stage).
     */
    private DenseResult trainDense(Loaded l, TrialSpec trial, EngineRuntime runtime, String device) {
        PluginRef engine = trial.engine();
        long seed = trial.seed();
        Optional<PluginRef> recipe = trial.recipe();
        Dataset data = l.data();
        String where = (descriptor.engine().size() > 1 ? ExperimentDescriptor.engineLabel(engine) + " · " : "")
                + (recipe.isPresent() ? trial.recipeLabel() + " · " : "");
        Optional<Teachers.Teacher> teacher = recipe.isPresent() && Recipes.needsTeacher(recipe.get())
                ? Optional.of(teacher(engine, runtime, seed, data)) : Optional.empty();
        teacher.ifPresent(t -> outputs.teacherSamples(t.hash(), t.network(), data.info()));
        Weights initial = l.pretrained().map(p -> p.weights().copy())
                .orElseGet(() -> WeightInitializer.initialize(l.spec(), seed));
        ExperimentDescriptor.TrainSection train = descriptor.train();
        TrainingConfig base = TrainingConfigs.of(train, descriptor.dataset(), data.info(), "train");
        TrainingConfig config = recipe.map(r -> base.withLoss(Recipes.lossTerms(r))).orElse(base);
        Optional<Network> teacherNetwork = teacher.map(Teachers.Teacher::network);
        Split trainData = recipe.map(r -> Recipes.trainingData(r, data.train(), teacherNetwork, seed))
                .orElse(data.train());
        if (!trainData.sampleShape().equals(data.train().sampleShape())
                || trainData.labelsPerSample() != data.train().labelsPerSample()) {
            throw new BonsaiException("recipe '" + recipe.orElseThrow().id() + "' gave training data of samples "
                    + trainData.sampleShape() + " with " + trainData.labelsPerSample() + " labels each, but the "
                    + "dataset's are " + data.train().sampleShape() + " with " + data.train().labelsPerSample());
        }
        try (Network network = runtime.build(l.spec(), initial, device)) {
            long t0 = System.nanoTime();
            int epoch = 0;
            List<Double> losses = new ArrayList<>();
            for (TrainingStage stage : recipe.map(Recipes::stages).orElse(List.of())) {
                try (Progress.Phase phase = progress.phase(where + "seed " + seed + " · stage " + stage.name(),
                        stage.epochs(), base.batchSize())) {
                    losses.addAll(network.train(new TrainingPlan(trainData, new BatchSampler(seed), epoch,
                            base.withEpochs(stage.epochs()).withLoss(stage.loss()), teacherNetwork),
                            DivergenceGuard.around(phase, where + "seed " + seed + " · stage " + stage.name()))
                            .epochLosses());
                }
                epoch += stage.epochs();
            }
            if (train.epochs() > 0) {
                try (Progress.Phase phase = progress.phase(where + "seed " + seed + " · dense training",
                        train.epochs(), config.batchSize())) {
                    losses.addAll(network.train(new TrainingPlan(trainData, new BatchSampler(seed), epoch, config,
                            teacherNetwork), DivergenceGuard.around(phase, where + "seed " + seed
                            + " · dense training")).epochLosses());
                }
            }
            epoch += train.epochs();
            double trainSeconds = ExperimentRunner.seconds(t0);
            warmUp(network, data.test(), l.pretrained().isPresent());
            long e0 = System.nanoTime();
            Evaluation test = network.evaluate(data.test(), TrialRunner.evalBatch(data.test()));
            double inference = data.test().size() / ExperimentRunner.seconds(e0);
            Optional<Evaluation> validation = data.validation()
                    .map(v -> network.evaluate(v, TrialRunner.evalBatch(v)));
            if (l.pretrained().isPresent()) {
                LOG.info("{}seed {}: dense test perplexity {} (loss {} nats over {} windows of {} predictions) after {}"
                        + " s of training", where, seed, String.format("%.6g", Math.exp(test.loss())),
                        String.format("%.6f", test.loss()), data.test().size(), data.test().labelsPerSample(),
                        String.format("%.1f", trainSeconds));
            } else {
                LOG.info("{}seed {}: dense test accuracy {}% (loss {}) after {} s of training", where, seed,
                        String.format("%.2f", 100 * test.accuracy()), String.format("%.4f", test.loss()),
                        String.format("%.1f", trainSeconds));
            }
            Weights weights = network.weights();
            Map<String, String> provenance = new TreeMap<>(l.provenance());
            provenance.putAll(engine(engine).provenance());
            outputs.saveDense(l.spec(), weights, data.info(), seed, trial.recipeLabel(),
                    descriptor.engine().size() > 1 ? ExperimentDescriptor.engineLabel(engine) : "", provenance);
            return new DenseResult(weights, config, test, validation, new Metrics(data), inference, trainSeconds,
                    ExperimentRunner.seconds(e0), losses, trainData, epoch, teacher);
        }
    }

    private Map<String, String> provenance(Dataset data) {
        Map<String, String> p = new TreeMap<>(Provenance.environment(Path.of("")));
        p.put("descriptor_hash", ExperimentRunner.descriptorHash(descriptor));
        p.put(TrialKey.PROVENANCE_FIELD, Integer.toString(TrialKey.VERSION));
        p.put("descriptor_file", options.descriptorFile().toString());
        p.put("dataset_sha256", new TreeMap<>(data.info().sha256()).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
        for (PluginRef ref : allRefs()) {
            p.put("plugin." + ref.kind().label() + "." + ref.id(), ref.plugin().version());
        }
        return p;
    }

    private List<PluginRef> allRefs() {
        List<PluginRef> refs = new ArrayList<>(List.of(descriptor.dataset(), descriptor.model()));
        descriptor.prune().ifPresent(p -> {
            refs.add(p.schedule());
            refs.addAll(p.strategies());
        });
        descriptor.distill().ifPresent(d -> {
            refs.addAll(d.allRecipes());
            d.teacher().flatMap(ExperimentDescriptor.TeacherSection::model).ifPresent(refs::add);
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

    /**
     * Runs the network over the test data once before the timed pass, so that the timing is fair. A pretrained
     * model's test set can be long, so it warms up on its first windows only.
     */
    private static void warmUp(Network network, Split test, boolean pretrained) {
        if (!pretrained || test.size() <= WARM_UP_WINDOWS) {
            network.evaluate(test, TrialRunner.evalBatch(test));
            return;
        }
        int[] first = new int[WARM_UP_WINDOWS];
        for (int i = 0; i < first.length; i++) {
            first[i] = i;
        }
        Split warmUp = test.subset(test.name() + "-warm-up", first);
        network.evaluate(warmUp, TrialRunner.evalBatch(warmUp));
    }

    /**
     * What every trial of the session shares: the data, the model, what may be pruned, common provenance, and a
     * pretrained model's parts.
     */
    private record Loaded(Dataset data, double loadSeconds, ModelSpec spec, Optional<PrunableSet> prunable,
            Map<String, String> provenance, Optional<PretrainedParts> pretrained) {
    }

    /** One engine's runtime and its provenance entries. */
    private record Engine(EngineRuntime runtime, Map<String, String> provenance) {
    }
}
