package dev.bonsai.experiments.run;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.BatchSampler;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.distill.TeacherChecks;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.engine.Evaluation;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.engine.TrainingConfig;
import dev.bonsai.api.engine.TrainingPlan;
import dev.bonsai.api.model.Checkpoint;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor.TeacherSection;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor.TrainSection;
import dev.bonsai.experiments.plugins.DatasetSettings;
import dev.bonsai.experiments.plugins.EngineSettings;
import dev.bonsai.experiments.plugins.PluginRef;
import dev.bonsai.models.checkpoint.CheckpointFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The teachers of an experiment's distillation: checked before any training, then trained once per provenance
 * and reused.
 *
 * <p>A teacher the experiment trains is identified by a hash of its provenance: its model, the dataset (its
 * options, files' SHA-256 and, when one is held out, the seed of the validation split), its training, its seed and
 * its engine and device. Trained once, it is saved as a checkpoint under {@code teachers/<hash>.safetensors} in the
 * output folder; every later student with the same teacher (another recipe, another seed when the teacher's seed is
 * fixed, a resumed or extended run) loads that file instead of training it again. A teacher from
 * {@code checkpoint:} is read from its file. Either way, {@link #check} refuses, before any training, a teacher
 * that is missing or corrupt, whose outputs do not match the student's (classes, vocabulary, positions) or whose
 * inputs differ, and a hint layer that does not exist in the teacher or the student.
 *
 * <p>One instance serves the students of one engine runtime; closing it closes the teachers it built (and a
 * runtime of the teacher's own engine, when that is another).
 */
final class Teachers implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Teachers.class);
    /** The folder, inside the output folder, of the cached teachers. */
    static final String FOLDER = "teachers";

    private final ExperimentDescriptor descriptor;
    private final TeacherSection section;
    private final Path out;
    private final Path descriptorFolder;
    private final Dataset data;
    private final Progress progress;
    private final Map<String, Teacher> open = new LinkedHashMap<>();
    private EngineRuntime ownRuntime;

    /**
     * A trained teacher.
     *
     * @param network    the network, in evaluation use only
     * @param hash       its provenance hash (of the checkpoint file, for a loaded one)
     * @param provenance what records keep about it: {@code teacher_hash}, {@code teacher_model}, {@code
     *                   teacher_source} ({@code trained}, {@code cache} or {@code checkpoint}) …
     * @param metrics    its own metrics: {@code teacher_test_accuracy}, {@code teacher_test_loss} …
     */
    record Teacher(Network network, String hash, Map<String, String> provenance, Map<String, Double> metrics) {
    }

    Teachers(ExperimentDescriptor descriptor, Path out, Path descriptorFile, Dataset data, Progress progress) {
        this.descriptor = descriptor;
        this.section = descriptor.distill().flatMap(ExperimentDescriptor.DistillSection::teacher).orElse(null);
        this.out = out;
        Path parent = descriptorFile.toAbsolutePath().getParent();
        this.descriptorFolder = parent == null ? Path.of("") : parent;
        this.data = data;
        this.progress = progress;
    }

    /**
     * Checks the teacher against the student and every recipe, before any training.
     *
     * @throws BonsaiException naming what is wrong: a missing or corrupt checkpoint, outputs or inputs that differ
     *                         from the student's, a vocabulary that differs from the dataset's, a hint layer that
     *                         does not exist
     */
    static void check(ExperimentDescriptor descriptor, Path descriptorFile, ModelSpec student, Dataset data) {
        if (descriptor.distill().isEmpty()) {
            return;
        }
        Optional<TeacherSection> section = descriptor.distill().get().teacher();
        if (section.isEmpty()) {
            return;
        }
        ModelSpec teacher;
        Path parent = descriptorFile.toAbsolutePath().getParent();
        if (section.get().checkpoint().isPresent()) {
            Path file = (parent == null ? Path.of("") : parent).resolve(section.get().checkpoint().get());
            Checkpoint checkpoint = CheckpointFile.read(file);
            teacher = checkpoint.spec();
            List<String> vocabulary = data.info().vocabulary();
            if (!checkpoint.vocabulary().isEmpty() && !vocabulary.isEmpty()
                    && !checkpoint.vocabulary().equals(vocabulary)) {
                throw new BonsaiException("the teacher in checkpoint " + file + " has a vocabulary of "
                        + checkpoint.vocabulary().size() + " tokens that differs from dataset '" + data.info().id()
                        + "''s " + vocabulary.size() + ": its outputs would mean other tokens than the student's");
            }
        } else {
            teacher = PluginCalls.buildModel(section.get().model().orElseThrow(), data.info());
        }
        TeacherChecks.requireCompatible(student, teacher);
        for (PluginRef recipe : descriptor.distill().get().allRecipes()) {
            for (LossTerm.HintMse hint : Recipes.hints(recipe)) {
                try {
                    TeacherChecks.layerOutput(teacher, hint.teacherLayer(), "hint layer", "teacher");
                    TeacherChecks.layerOutput(student, hint.studentLayer(), "guided layer", "student");
                } catch (BonsaiException e) {
                    throw new BonsaiException("recipe '" + recipe.id() + "': " + e.getMessage(), e);
                }
            }
        }
    }

    /**
     * The teacher of the students of {@code seed} on {@code engine}: loaded from the cache or a checkpoint, or
     * trained now and cached. The same teacher is returned to every caller that shares its provenance.
     *
     * @param engine  the students' engine, the teacher's too unless the descriptor names another
     * @param runtime the students' runtime
     */
    Teacher forSeed(PluginRef engine, EngineRuntime runtime, long seed) throws IOException {
        if (section.checkpoint().isPresent()) {
            return open.computeIfAbsent("checkpoint", k -> loadCheckpoint(engine, runtime));
        }
        PluginRef teacherEngine = section.engine().orElse(engine);
        long teacherSeed = section.seed().orElse(seed);
        TrainSection train = section.train().orElse(descriptor.train());
        String hash = hash(teacherEngine, teacherSeed, train);
        Teacher cached = open.get(hash);
        if (cached != null) {
            return cached;
        }
        EngineRuntime where = runtimeFor(teacherEngine, engine, runtime);
        String device = teacherEngine.settings(EngineSettings.class).device();
        ModelSpec spec = PluginCalls.buildModel(section.model().orElseThrow(), data.info());
        Path file = out.resolve(FOLDER).resolve(hash + CheckpointFile.EXTENSION);
        Map<String, String> provenance = new TreeMap<>();
        provenance.put("teacher_hash", hash);
        provenance.put("teacher_model", Canonical.json(section.model().get()));
        provenance.put("teacher_engine", ExperimentDescriptor.engineLabel(teacherEngine));
        provenance.put("teacher_seed", Long.toString(teacherSeed));
        Map<String, Double> metrics = new LinkedHashMap<>();
        Network network = null;
        if (Files.isRegularFile(file)) {
            try {
                Checkpoint checkpoint = CheckpointFile.read(file, spec, "the teacher");
                network = where.build(spec, checkpoint.weights(), device);
                provenance.put("teacher_source", "cache");
                LOG.info("teacher {} loaded from {}", hash, file);
            } catch (BonsaiException e) {
                LOG.warn("the cached teacher {} cannot be used ({}); training it again", file, e.getMessage());
            }
        }
        if (network == null) {
            network = where.build(spec, WeightInitializer.initialize(spec, teacherSeed), device);
            TrainingConfig config = TrainingConfigs.of(train, descriptor.dataset(), data.info(),
                    section.train().isPresent() ? "distill.teacher.train" : "train");
            long t0 = System.nanoTime();
            try (Progress.Phase phase = progress.phase("teacher " + hash + " (seed " + teacherSeed + ") · training",
                    train.epochs(), train.batch())) {
                network.train(new TrainingPlan(data.train(), new BatchSampler(teacherSeed), 0, config,
                        Optional.empty()), DivergenceGuard.around(phase, "teacher " + hash));
            }
            metrics.put("teacher_train_seconds", ExperimentRunner.seconds(t0));
            Map<String, String> saved = new TreeMap<>(provenance);
            saved.put("experiment", descriptor.name());
            saved.put("dataset", descriptor.dataset().id());
            CheckpointFile.write(file, new Checkpoint(spec, network.weights(), data.info().vocabulary(), saved));
            provenance.put("teacher_source", "trained");
            LOG.info("teacher {} trained in {} s and saved to {}", hash,
                    String.format("%.1f", metrics.get("teacher_train_seconds")), file);
        }
        Teacher teacher = new Teacher(network, hash, provenance, evaluate(network, spec, metrics));
        open.put(hash, teacher);
        return teacher;
    }

    /** The teacher's own metrics, from one evaluation of the test (and validation) split. */
    private Map<String, Double> evaluate(Network network, ModelSpec spec, Map<String, Double> metrics) {
        Metrics names = new Metrics(data);
        Evaluation test = network.evaluate(data.test(), TrialRunner.evalBatch(data.test()));
        names.test(metrics, "teacher_test_", test);
        data.validation().ifPresent(v -> names.validation(metrics, "teacher_validation_",
                network.evaluate(v, TrialRunner.evalBatch(v))));
        metrics.put("teacher_parameters", (double) spec.trainableParameterCount());
        LOG.info("teacher: test accuracy {}%, loss {}", String.format("%.2f", 100 * test.accuracy()),
                String.format("%.4f", test.loss()));
        return Map.copyOf(metrics);
    }

    private Teacher loadCheckpoint(PluginRef engine, EngineRuntime runtime) {
        Path file = descriptorFolder.resolve(section.checkpoint().orElseThrow());
        Checkpoint checkpoint = CheckpointFile.read(file);
        PluginRef teacherEngine = section.engine().orElse(engine);
        EngineRuntime where = runtimeFor(teacherEngine, engine, runtime);
        Network network = where.build(checkpoint.spec(), checkpoint.weights(),
                teacherEngine.settings(EngineSettings.class).device());
        String hash;
        try {
            hash = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(file))).substring(0, 16);
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new BonsaiException("cannot read checkpoint " + file + ": " + e, e);
        }
        Map<String, String> provenance = new TreeMap<>();
        provenance.put("teacher_hash", hash);
        provenance.put("teacher_model", checkpoint.spec().name());
        provenance.put("teacher_checkpoint", section.checkpoint().get());
        provenance.put("teacher_engine", ExperimentDescriptor.engineLabel(teacherEngine));
        provenance.put("teacher_source", "checkpoint");
        LOG.info("teacher loaded from checkpoint {}", file);
        return new Teacher(network, hash, provenance, evaluate(network, checkpoint.spec(), new LinkedHashMap<>()));
    }

    /** The students' runtime, or a runtime of the teacher's own engine when it names another. */
    private EngineRuntime runtimeFor(PluginRef teacherEngine, PluginRef studentEngine, EngineRuntime studentRuntime) {
        if (teacherEngine.id().equals(studentEngine.id())) {
            return studentRuntime;
        }
        if (ownRuntime == null) {
            ownRuntime = PluginCalls.createEngine(teacherEngine);
        }
        return ownRuntime;
    }

    /** The provenance hash of a teacher this experiment trains. */
    String hash(PluginRef engine, long seed, TrainSection train) {
        Map<String, Object> key = new TreeMap<>();
        key.put("model", TrialKey.plugin(section.model().orElseThrow()));
        key.put("dataset", TrialKey.plugin(descriptor.dataset()));
        key.put("dataset_sha256", new TreeMap<>(data.info().sha256()));
        if (descriptor.dataset().settings(DatasetSettings.class).validation() > 0) {
            key.put("split_seed", descriptor.seeds().get(0)); // the validation split is drawn with the first seed
        }
        key.put("train", TrialKey.section(train, section.train().isPresent() ? "distill.teacher.train" : "train"));
        key.put("seed", seed);
        key.put("engine", ExperimentDescriptor.engineLabel(engine));
        return Canonical.sha256(Canonical.json(key)).substring(0, 16);
    }

    @Override
    public void close() {
        List<RuntimeException> problems = new ArrayList<>();
        for (Teacher t : open.values()) {
            try {
                t.network().close();
            } catch (RuntimeException e) {
                problems.add(e);
            }
        }
        open.clear();
        if (ownRuntime != null) {
            ownRuntime.close();
            ownRuntime = null;
        }
        if (!problems.isEmpty()) {
            throw problems.get(0);
        }
    }
}
