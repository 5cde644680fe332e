package dev.bonsai.experiments.run;

import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.data.Tokenizer;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.model.Checkpoint;
import dev.bonsai.api.model.PretrainedParts;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor.SamplesSection;
import dev.bonsai.experiments.sample.TextSampler;
import dev.bonsai.models.checkpoint.CheckpointFile;
import dev.bonsai.strategies.generation.Generator;
import dev.bonsai.strategies.generation.Sampling;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * What a run writes besides its records, when the descriptor asks: checkpoint files of the trained models
 * ({@code checkpoints.save}) and text samples of each trial's final language model ({@code samples}), collected
 * in {@code samples.md}.
 */
final class TrialOutputs {
    /** The folder of checkpoint files in the output folder. */
    static final String CHECKPOINTS = "checkpoints";
    /** The folder of per-trial samples in the output folder. */
    static final String SAMPLES = "samples";
    /** The file collecting the samples of the sweep's trials. */
    static final String SAMPLES_FILE = "samples.md";
    private static final String TEACHER_PREFIX = "teacher-";
    private static final String TEACHER_HASH = "teacher_hash";
    private static final Logger LOG = LogManager.getLogger(TrialOutputs.class);

    private final ExperimentDescriptor descriptor;
    private final Path out;
    private Optional<Tokenizer> tokenizer;

    /** The outputs of the experiment's run. */
    @Inject
    TrialOutputs(ExperimentDescriptor descriptor, RunOptions options) {
        this.descriptor = descriptor;
        this.out = options.out();
    }

    /**
     * Saves a seed's dense model, when checkpoints are saved, as {@code dense-seed<S>.safetensors}, with the
     * engine and device ({@code dense-djl-cpu-seed<S>}) when the descriptor lists several engines and the recipe
     * ({@code dense-hinton-seed<S>}) when the student learnt with one.
     *
     * @param recipe the recipe's label, or {@link TrialSpec#NONE}
     * @param engine the engine label ({@code djl:cpu}) when there are several engines, else empty
     */
    void saveDense(ModelSpec spec, Weights weights, DatasetInfo data, long seed, String recipe, String engine,
            Map<String, String> provenance) {
        if (descriptor.checkpoints().save()) {
            Map<String, String> p = new LinkedHashMap<>(provenance);
            p.put("experiment", descriptor.name());
            p.put("model", descriptor.model().id());
            p.put("seed", Long.toString(seed));
            p.put("stage", "dense");
            String name = "dense-" + (engine.isEmpty() ? "" : engine.replace(':', '-') + "-")
                    + (recipe.equals(TrialSpec.NONE) ? "" : recipe.replaceAll("[^A-Za-z0-9._-]", "_") + "-")
                    + "seed" + seed;
            p.put("recipe", recipe);
            save(out.resolve(CHECKPOINTS).resolve(name + CheckpointFile.EXTENSION),
                    new Checkpoint(spec, weights, data.vocabulary(), p));
        }
    }

    /**
     * Saves a trial's final model (when checkpoints are saved) and writes its samples (when samples are asked for
     * and the model is a language model with a vocabulary).
     */
    void trialDone(TrialSpec trial, Network network, Weights weights, DatasetInfo data,
            Map<String, String> provenance) {
        String trialId = trial.id();
        long seed = trial.seed();
        String label = title(trial);
        if (descriptor.checkpoints().save()) {
            Map<String, String> p = new LinkedHashMap<>(provenance);
            p.put("experiment", descriptor.name());
            p.put("model", descriptor.model().id());
            p.put("trial_id", trialId);
            p.put("trial", label);
            p.put("seed", Long.toString(seed));
            save(out.resolve(CHECKPOINTS).resolve(trialId + CheckpointFile.EXTENSION),
                    new Checkpoint(network.spec(), weights, data.vocabulary(), p));
        }
        if (descriptor.samples().isPresent()) {
            write(out.resolve(SAMPLES).resolve(trialId + ".md"),
                    section(label + " (trial `" + trialId + "`)", sample(network, data)));
        }
    }

    /**
     * Writes the samples of a teacher (once per teacher, on the same draws as the students'), when samples are asked
     * for.
     *
     * @param hash the teacher's provenance hash, which names it in records ({@code teacher_hash})
     */
    void teacherSamples(String hash, Network teacher, DatasetInfo data) {
        Path file = out.resolve(SAMPLES).resolve(TEACHER_PREFIX + hash + ".md");
        if (descriptor.samples().isEmpty() || Files.isRegularFile(file)) {
            return;
        }
        write(file, section("teacher " + hash + " (" + teacher.spec().trainableParameterCount() + " parameters)",
                sample(teacher, data)));
    }

    /**
     * A pretrained model's own tokenizer, which its text datasets are tokenised with and its samples written with
     * instead of the dataset's vocabulary; empty for other models. The model plugin keeps what it read, so asking
     * again costs nothing.
     */
    private synchronized Optional<Tokenizer> tokenizer() {
        if (tokenizer == null) {
            tokenizer = PluginCalls.pretrained(descriptor.model()).map(PretrainedParts::tokenizer);
        }
        return tokenizer;
    }

    private List<String> sample(Network network, DatasetInfo data) {
        SamplesSection s = descriptor.samples().orElseThrow();
        if (tokenizer().isPresent()) {
            return TextSampler.sample(network, tokenizer().get(), s.prompt(), s.count(), s.length(),
                    new Sampling(s.temperature(), s.topK()), s.seed(), true);
        }
        return TextSampler.sample(network, data.vocabulary(), s.prompt(), s.count(), s.length(),
                new Sampling(s.temperature(), s.topK()), s.seed());
    }

    private static String section(String heading, List<String> texts) {
        StringBuilder md = new StringBuilder();
        md.append("## ").append(heading).append("\n\n");
        for (int i = 0; i < texts.size(); i++) {
            md.append("Sample ").append(i + 1).append(":\n\n````text\n").append(texts.get(i)).append("\n````\n\n");
        }
        return md.toString();
    }

    /** A trial as a heading: its recipe, seed, strategy and target, and engine when there are several. */
    private String title(TrialSpec trial) {
        StringBuilder t = new StringBuilder();
        if (trial.recipe().isPresent()) {
            t.append("recipe ").append(trial.recipeLabel()).append(", ");
        }
        t.append("seed ").append(trial.seed());
        if (trial.strategy().isPresent()) {
            t.append(", ").append(trial.strategyLabel()).append(" at sparsity ").append(trial.sparsity());
        }
        if (descriptor.engine().size() > 1) {
            t.append(", ").append(ExperimentDescriptor.engineLabel(trial.engine()));
        }
        return t.toString();
    }

    /**
     * Collects the samples of {@code records}' teachers (by their {@code teacher_hash}) and then of their trials, in
     * their order, into {@code samples.md}.
     *
     * @return the file, when any trial has samples
     */
    Optional<Path> collectSamples(List<TrialRecord> records) {
        if (descriptor.samples().isEmpty()) {
            return Optional.empty();
        }
        SamplesSection s = descriptor.samples().get();
        StringBuilder md = new StringBuilder("# Samples of " + descriptor.name() + "\n\n");
        md.append(String.format(Locale.ROOT, "%d samples of %d tokens per model after %s, temperature %s, %s, "
                + "sampling seed %d (the same draws for every model).\n\n", s.count(), s.length(),
                s.prompt().isEmpty() ? "the start of a line" : "the prompt `" + s.prompt() + "`",
                s.temperature(), s.topK() == 0 ? "all tokens" : "top-" + s.topK(), s.seed()));
        boolean any = false;
        List<Path> files = new java.util.ArrayList<>();
        records.stream().map(r -> r.provenance().get(TEACHER_HASH)).filter(java.util.Objects::nonNull).distinct()
                .forEach(h -> files.add(out.resolve(SAMPLES).resolve(TEACHER_PREFIX + h + ".md")));
        records.forEach(r -> files.add(out.resolve(SAMPLES).resolve(r.trialId() + ".md")));
        for (Path file : files) {
            if (Files.isRegularFile(file)) {
                try {
                    md.append(Files.readString(file, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + file, e);
                }
                any = true;
            }
        }
        if (!any) {
            return Optional.empty();
        }
        Path file = out.resolve(SAMPLES_FILE);
        write(file, md.toString());
        return Optional.of(file);
    }

    /**
     * Checks, before any work, that samples can be drawn when the descriptor asks for them.
     *
     * @throws dev.bonsai.api.BonsaiException when the model is not a language model or the data have no vocabulary
     */
    void checkSamples(ModelSpec spec, DatasetInfo data) {
        if (descriptor.samples().isEmpty()) {
            return;
        }
        if (tokenizer().isPresent()) {
            Generator.checkCausal(spec);
            tokenizer().get().encode(descriptor.samples().get().prompt());
            return;
        }
        if (data.vocabulary().isEmpty()) {
            throw new dev.bonsai.api.BonsaiException("'samples' asks for text samples, but dataset '" + data.id()
                    + "' is not text (it has no vocabulary); remove 'samples' from the descriptor");
        }
        Generator.checkCausal(spec);
        String prompt = descriptor.samples().get().prompt();
        if (!prompt.isEmpty()) {
            new dev.bonsai.datasets.text.TextCodec(data.vocabulary()).encode(prompt);
        }
    }

    private static void save(Path file, Checkpoint checkpoint) {
        CheckpointFile.write(file, checkpoint);
        try {
            LOG.info("saved checkpoint {} ({} MB)", file, String.format("%.1f", Files.size(file) / 1e6));
        } catch (IOException e) {
            LOG.info("saved checkpoint {}", file);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
