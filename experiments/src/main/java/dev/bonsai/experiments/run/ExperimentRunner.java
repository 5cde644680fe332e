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
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.engine.TrainingConfig;
import dev.bonsai.api.engine.TrainingPlan;
import dev.bonsai.api.engine.TrainingResult;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.datasets.Splits;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.experiments.plugins.DatasetSettings;
import dev.bonsai.experiments.plugins.EngineSettings;
import dev.bonsai.experiments.plugins.PluginRef;
import dev.bonsai.reports.model.Curves;
import dev.bonsai.reports.store.ResultsStore;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs one experiment: loads the data once, trains one dense model per engine and seed, runs every unfinished trial
 * of the sweep from that dense model's weights, appends each trial's record as it finishes, and renders the reports from
 * all records in the output folder.
 */
public final class ExperimentRunner {
    private static final Logger LOG = LogManager.getLogger(ExperimentRunner.class);

    private final ExperimentDescriptor descriptor;
    private final RunOptions options;
    private final DataFiles dataFiles;
    private final Progress progress;
    private final TrialRunner trialRunner;

    /** A runner for one experiment, as composed by the experiment's injector. */
    @Inject
    public ExperimentRunner(ExperimentDescriptor descriptor, RunOptions options, DataFiles dataFiles, Progress progress,
            TrialRunner trialRunner) {
        this.descriptor = descriptor;
        this.options = options;
        this.dataFiles = dataFiles;
        this.progress = progress;
        this.trialRunner = trialRunner;
    }

    /**
     * Runs the unfinished trials and writes the reports.
     *
     * @return every record of the output folder after the run, and the reports written
     * @throws BonsaiException on errors that stop the whole experiment (data, model, engine); a failing trial is
     *                         recorded as failed instead and the sweep goes on
     */
    public RunSummary run() throws IOException {
        long started = System.nanoTime();
        Path out = options.out();
        Files.createDirectories(out);
        String resolved = Canonical.prettyJson(descriptor);
        writeAtomically(out.resolve("descriptor.resolved.json"), resolved + "\n");
        ResultsStore store = ResultsStore.in(out);
        Set<String> finished = store.finishedTrialIds();
        // a sensitivity analysis has a trial per prunable layer, so its plan needs the model (and the data before it)
        Prepared prepared = SweepPlanner.sensitivity(descriptor) ? prepare() : null;
        List<TrialSpec> trials = prepared == null ? SweepPlanner.plan(descriptor)
                : SweepPlanner.plan(descriptor, prepared.prunable().orElseThrow().layers());
        List<TrialSpec> todo = trials.stream().filter(t -> !finished.contains(t.id())).toList();
        LOG.info("experiment '{}': {} trials, {} already finished, {} to run; results in {}", descriptor.name(),
                trials.size(), trials.size() - todo.size(), todo.size(), out);
        int failed = 0;
        List<TrialRecord> fresh = new ArrayList<>();
        if (!todo.isEmpty()) {
            failed = runTrials(prepared != null ? prepared : prepare(), todo, store, fresh,
                    Canonical.sha256(Canonical.json(descriptor)));
        }
        List<TrialRecord> records = thisSweep(ResultsStore.latestPerTrial(store.read()), trials);
        List<Path> reports = new ArrayList<>();
        for (PluginRef writer : descriptor.report()) {
            reports.addAll(PluginCalls.writeReport(writer, records, out));
        }
        LOG.info("experiment '{}' done in {} s: {} trials run, {} failed; reports: {}", descriptor.name(),
                String.format("%.1f", (System.nanoTime() - started) / 1e9), todo.size(), failed, reports);
        return new RunSummary(records, fresh, failed, reports);
    }

    /**
     * The records of this descriptor's trials. Records of other configurations in the same folder (an earlier
     * version of the descriptor) stay in the file, but are left out of this run's reports.
     */
    private static List<TrialRecord> thisSweep(List<TrialRecord> all, List<TrialSpec> trials) {
        Set<String> ids = new java.util.HashSet<>();
        trials.forEach(t -> ids.add(t.id()));
        List<TrialRecord> mine = all.stream().filter(r -> ids.contains(r.trialId())).toList();
        if (mine.size() < all.size()) {
            LOG.warn("{} records in results.jsonl come from another configuration of this experiment; they are kept "
                    + "but left out of this run's reports (use a new --out folder per configuration)",
                    all.size() - mine.size());
        }
        return mine;
    }

    /** Loads the data and builds the model, checking that every engine can run it and the prune section fits it. */
    private Prepared prepare() {
        long t0 = System.nanoTime();
        DatasetSettings dataSettings = descriptor.dataset().settings(DatasetSettings.class);
        Dataset loaded = PluginCalls.loadDataset(descriptor.dataset(), dataFiles);
        Dataset data = Splits.withValidation(loaded, dataSettings.validation(), descriptor.seeds().get(0));
        double loadSeconds = seconds(t0);
        LOG.info("dataset {}: {} training, {} validation, {} test samples ({} s)", data.info().id(), data.train().size(),
                data.validation().map(s -> s.size()).orElse(0), data.test().size(), String.format("%.2f", loadSeconds));
        ModelSpec spec = PluginCalls.buildModel(descriptor.model(), data.info());
        for (PluginRef engine : descriptor.engine()) {
            checkLayers(engine.as(ComputeEngine.class), spec);
        }
        Teachers.check(descriptor, options.descriptorFile(), spec, data);
        Optional<PluginRef> teacherModel = descriptor.distill().flatMap(d -> d.teacher())
                .flatMap(ExperimentDescriptor.TeacherSection::model);
        if (teacherModel.isPresent()) {
            ModelSpec teacherSpec = PluginCalls.buildModel(teacherModel.get(), data.info());
            List<PluginRef> teacherEngines = descriptor.distill().get().teacher().get().engine().map(List::of)
                    .orElse(descriptor.engine());
            teacherEngines.forEach(e -> checkLayers(e.as(ComputeEngine.class), teacherSpec));
        }
        Optional<PrunableSet> prunable = descriptor.prune()
                .map(p -> PrunableSet.of(spec, p.exclude(), p.overrides(), p.structure()));
        return new Prepared(data, spec, prunable, loadSeconds);
    }

    private int runTrials(Prepared prepared, List<TrialSpec> todo, ResultsStore store, List<TrialRecord> fresh,
            String descriptorHash) throws IOException {
        Dataset data = prepared.data();
        ModelSpec spec = prepared.spec();
        double loadSeconds = prepared.loadSeconds();
        Map<String, String> common = provenance(descriptorHash, data);
        int failed = 0;
        Set<PluginRef> engines = new LinkedHashSet<>();
        todo.forEach(t -> engines.add(t.engine()));
        for (PluginRef engine : engines) {
            List<TrialSpec> onEngine = todo.stream().filter(t -> t.engine() == engine).toList();
            failed += runOnEngine(engine, onEngine, spec, data, loadSeconds, common, store, fresh);
        }
        return failed;
    }

    /**
     * Runs {@code trials}, all on {@code engine}: one runtime, one trained student per seed and recipe, the
     * teachers trained (or loaded) once and shared.
     */
    private int runOnEngine(PluginRef engine, List<TrialSpec> trials, ModelSpec spec, Dataset data, double loadSeconds,
            Map<String, String> common, ResultsStore store, List<TrialRecord> fresh) throws IOException {
        String device = engine.settings(EngineSettings.class).device();
        Map<String, String> provenance = new TreeMap<>(common);
        provenance.put("plugin." + engine.kind().label() + "." + engine.id(), engine.plugin().version());
        int failed = 0;
        try (EngineRuntime runtime = PluginCalls.createEngine(engine);
                Teachers teachers = new Teachers(descriptor, options.out(), options.descriptorFile(), data, progress)) {
            provenance.put("engine_versions", runtime.versions());
            Map<String, Student> students = new LinkedHashMap<>();
            trials.forEach(t -> students.putIfAbsent(t.seed() + "/" + t.recipeLabel(),
                    new Student(t.seed(), t.recipe(), t.recipeLabel())));
            for (Student student : students.values()) {
                long seed = student.seed();
                String where = (descriptor.engine().size() > 1 ? ExperimentDescriptor.engineLabel(engine) + " · " : "")
                        + (student.recipe().isPresent() ? student.label() + " · " : "");
                Optional<Teachers.Teacher> teacher = student.recipe().isPresent()
                        && Recipes.needsTeacher(student.recipe().get())
                        ? Optional.of(teachers.forSeed(engine, runtime, seed)) : Optional.empty();
                DenseResult dense = trainDense(runtime, spec, device, data, seed, where, student.recipe(), teacher);
                for (TrialSpec trial : trials) {
                    if (trial.seed() != seed || !trial.recipeLabel().equals(student.label())) {
                        continue;
                    }
                    TrialRecord record = trialRunner.run(trial, runtime, spec, device, data, dense, loadSeconds, provenance);
                    if (!record.ok()) {
                        failed++;
                    }
                    store.append(record);
                    fresh.add(record);
                }
            }
        }
        return failed;
    }

    /** The students of one seed and recipe share their training: the dense model their trials start from. */
    private record Student(long seed, Optional<PluginRef> recipe, String label) {
    }

    /**
     * Trains the dense student of {@code seed}: on hard labels, or with {@code recipe} against {@code teacher} (the
     * recipe's training data, its stages, then its main loss, the epochs numbered on from stage to stage).
     */
    private DenseResult trainDense(EngineRuntime runtime, ModelSpec spec, String device, Dataset data, long seed,
            String where, Optional<PluginRef> recipe, Optional<Teachers.Teacher> teacher) {
        Weights initial = WeightInitializer.initialize(spec, seed);
        ExperimentDescriptor.TrainSection train = descriptor.train();
        TrainingConfig base = new TrainingConfig(train.epochs(), train.batch(), train.optimizer().toSpec(),
                train.lrSchedule().toSchedule(), train.gradientClip(), List.of(new LossTerm.CrossEntropy(1)));
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
        try (Network network = runtime.build(spec, initial, device)) {
            long t0 = System.nanoTime();
            int epoch = 0;
            for (TrainingStage stage : recipe.map(Recipes::stages).orElse(List.of())) {
                try (Progress.Phase phase = progress.phase(where + "seed " + seed + " · stage " + stage.name(),
                        stage.epochs())) {
                    network.train(new TrainingPlan(trainData, new BatchSampler(seed), epoch,
                            base.withEpochs(stage.epochs()).withLoss(stage.loss()), teacherNetwork), phase);
                }
                epoch += stage.epochs();
            }
            TrainingResult result;
            try (Progress.Phase phase = progress.phase(where + "seed " + seed + " · dense training", train.epochs())) {
                result = network.train(new TrainingPlan(trainData, new BatchSampler(seed), epoch, config,
                        teacherNetwork), phase);
            }
            epoch += train.epochs();
            double trainSeconds = seconds(t0);
            network.evaluate(data.test(), TrialRunner.EVAL_BATCH); // warm-up, so the timed pass below is fair
            long e0 = System.nanoTime();
            Evaluation test = network.evaluate(data.test(), TrialRunner.EVAL_BATCH);
            double inference = data.test().size() / seconds(e0);
            Optional<Evaluation> validation = data.validation().map(v -> network.evaluate(v, TrialRunner.EVAL_BATCH));
            boolean sequence = data.test().labelsPerSample() > 1;
            LOG.info("{}seed {}: dense test accuracy {}% (loss {}) after {} s of training", where, seed,
                    String.format("%.2f", 100 * test.accuracy()), String.format("%.4f", test.loss()),
                    String.format("%.1f", trainSeconds));
            return new DenseResult(network.weights(), config, test, validation, sequence, inference, trainSeconds,
                    seconds(e0), result.epochLosses(), trainData, epoch, teacher);
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

    private Map<String, String> provenance(String descriptorHash, Dataset data) {
        Map<String, String> p = new TreeMap<>(Provenance.environment(Path.of("")));
        p.put("descriptor_hash", descriptorHash);
        p.put("descriptor_file", options.descriptorFile().toString());
        p.put("dataset_sha256", new TreeMap<>(data.info().sha256()).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(", ")));
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

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The loaded data and the model built for it, shared by every engine's trials. */
    private record Prepared(Dataset data, ModelSpec spec, Optional<PrunableSet> prunable, double loadSeconds) {
    }

    /**
     * What a run produced.
     *
     * @param records all records in the output folder (the latest per trial)
     * @param fresh   the records this run added
     * @param failed  trials of this run that failed
     * @param reports report files written
     */
    public record RunSummary(List<TrialRecord> records, List<TrialRecord> fresh, int failed, List<Path> reports) {
    }

    /**
     * A seed's trained dense model, shared by the seed's trials.
     *
     * @param weights         its weights
     * @param config          how it was trained
     * @param test            its test evaluation
     * @param validation      its validation evaluation, if there is a validation split
     * @param sequence        whether the data are sequences (a label per position): language-model metrics apply
     * @param inference       test-set inference throughput in samples per second
     * @param trainSeconds    training time
     * @param evaluateSeconds evaluation time
     * @param epochLosses     the mean training loss of each epoch of its main training (after any recipe stages)
     * @param trainData       what it was trained on (the training split, or what its recipe made of it), and its
     *                        fine-tuning after pruning will be
     * @param epochs          the sampler epochs its training used, so fine-tuning continues the sequence
     * @param teacher         the teacher it learnt from, which also teaches its fine-tuning
     */
    record DenseResult(Weights weights, TrainingConfig config, Evaluation test, Optional<Evaluation> validation,
            boolean sequence, double inference, double trainSeconds, double evaluateSeconds, List<Double> epochLosses,
            Split trainData, int epochs, Optional<Teachers.Teacher> teacher) {
        Map<String, Double> metrics() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("dense_inference_samples_per_s", inference);
            Curves.put(m, Curves.DENSE_TRAIN_LOSS, epochLosses);
            Metrics.put(m, "dense_test_", test, sequence);
            validation.ifPresent(v -> Metrics.put(m, "dense_validation_", v, sequence));
            teacher.ifPresent(t -> m.putAll(t.metrics()));
            return m;
        }
    }
}
