package dev.bonsai.experiments.descriptor;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;
import dev.bonsai.experiments.plugins.EngineSettings;
import dev.bonsai.experiments.plugins.PluginKind;
import dev.bonsai.experiments.plugins.PluginRef;
import dev.bonsai.experiments.run.Canonical;
import dev.bonsai.experiments.run.Recipes;
import java.util.List;
import java.util.Optional;

/**
 * A whole experiment, as a descriptor file states it, with every plugin resolved and its options bound.
 *
 * @param name    the experiment's name
 * @param seeds   one trial set per seed
 * @param engine  where to compute: one engine, or several to compare (each trial runs on each)
 * @param dataset what to train and test on
 * @param model   what to train
 * @param train   how to train the dense model
 * @param prune   how to prune and fine-tune, if at all
 * @param distill an optional teacher and recipe
 * @param report  which reports to write
 * @param executor where the trials run
 * @param resources what each trial needs where it runs
 * @param plugins external plugin jars or folders this experiment needs, relative to the descriptor's folder (read
 *                from the raw YAML before binding, since binding needs the plugins; see
 *                {@link DescriptorReader#pluginLocations})
 * @param checkpoints which trained weights are saved
 * @param samples     text samples of each trial's final model, if any
 */
public record ExperimentDescriptor(
        @Doc("The experiment's name; names the default output folder.") String name,
        @Doc("Seeds; each gives its own initial weights, data order and pruning randomness.") @DefaultValue("[1]")
        List<Long> seeds,
        @Doc("The compute engine: {id: djl, device: cpu}, or just a device (cpu, cuda) for the best engine there; "
                + "a list of them ([djl, dl4j]) runs every trial on each, from the same initial weights.")
        @DefaultValue("cpu") @PluginSlot(PluginKind.ENGINE) List<PluginRef> engine,
        @Doc("The dataset: {id: mnist, validation: 5000, path: DIR}.") @PluginSlot(PluginKind.DATASET) PluginRef dataset,
        @Doc("The model: {id: lenet-300-100}.") @PluginSlot(PluginKind.MODEL) PluginRef model,
        @Doc("How the dense model is trained.") TrainSection train,
        @Doc("How the model is pruned and fine-tuned; without it, the dense models are trained and evaluated only.")
        Optional<PruneSection> prune,
        @Doc("Knowledge distillation: the recipes compared and the teacher they learn from.")
        Optional<DistillSection> distill,
        @Doc("Report writers run at the end.") @DefaultValue("[markdown, html, csv]") @PluginSlot(PluginKind.REPORT)
        List<PluginRef> report,
        @Doc("Where the trials run: local (this JVM, default), slurm (job arrays) or spark (optional module); "
                + "{id: local, parallel: 2} with options. bonsai run --executor ID picks one too.")
        @DefaultValue("local") @PluginSlot(PluginKind.EXECUTOR) PluginRef executor,
        @Doc("What each trial needs where it runs: {cpu: 1, gpu: 1, hardware: [a100], memory: 8G, time: '2:00:00'}.")
        @DefaultValue("{}") dev.bonsai.experiments.executor.Resources resources,
        @Doc("External plugin jars, or folders of them, that this experiment needs; paths relative to the "
                + "descriptor's folder.") @DefaultValue("[]")
        List<String> plugins,
        @Doc("Checkpoint files of the trained models, in the output folder's checkpoints/ (off by default).")
        @DefaultValue("{}") CheckpointsSection checkpoints,
        @Doc("Seeded text samples of each trial's final model, for language models; written to samples.md.")
        Optional<SamplesSection> samples) {

    /** Checks cross-field rules. */
    public ExperimentDescriptor {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("'name' must be letters, digits, '.', '_' or '-' (it names the output "
                    + "folder), got '" + name + "'");
        }
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("'seeds' must list at least one seed");
        }
        if (seeds.stream().distinct().count() != seeds.size()) {
            throw new IllegalArgumentException("'seeds' lists a seed twice: " + seeds);
        }
        if (engine.isEmpty()) {
            throw new IllegalArgumentException("'engine' must name at least one engine or device");
        }
        List<String> engines = engine.stream().map(ExperimentDescriptor::engineLabel).toList();
        if (engines.stream().distinct().count() != engines.size()) {
            throw new IllegalArgumentException("'engine' lists the same engine and device twice: " + engines
                    + " (records and reports tell engines apart by id and device only)");
        }
    }

    /** {@code id:device} of an engine entry: what records and reports tell engines apart by. */
    public static String engineLabel(PluginRef engine) {
        return engine.id() + ":" + engine.settings(EngineSettings.class).device();
    }

    /**
     * How to train.
     *
     * @param optimizer    the optimizer
     * @param epochs       passes over the training data
     * @param batch        samples per step
     * @param lrSchedule   how the learning rate changes
     * @param gradientClip the largest global gradient norm (0: no clipping)
     * @param augment      how training batches of images are jittered, if at all
     * @param maxNorm      the bound on each unit's incoming weight norm, if any
     */
    public record TrainSection(
            @Doc("The optimizer: {id: sgd, lr: 0.1, momentum: 0.9}, or adam / adamw.") @DefaultValue("sgd")
            OptimizerSection optimizer,
            @Doc("Epochs of training; 0 (a pretrained model only) evaluates the published weights as the dense model.")
            @Range(min = 0) int epochs,
            @Doc("Batch size.") @DefaultValue("128") @Range(min = 1) int batch,
            @Doc("Learning-rate schedule: constant, {id: step, every: 10, gamma: 0.1} or {id: cosine, warmup: 0}.")
            @DefaultValue("constant") LrScheduleSection lrSchedule,
            @Doc("Clip the global gradient L2 norm to this value; 0 turns clipping off.") @DefaultValue("0")
            @Range(min = 0) double gradientClip,
            @Doc("Augment the training images: {shift: 2} moves each image by up to 2 pixels in every direction "
                    + "(the holes black), {shift: 4, flip: true} is CIFAR's usual crop and flip. Drawn per sample "
                    + "from the seed, epoch and sample index, the same on every engine; used for dense training and "
                    + "fine-tuning, never for evaluation. Image datasets only.")
            Optional<AugmentSection> augment,
            @Doc("Max-norm constraint (Srivastava et al. 2014, used with dropout): after every update, each unit's "
                    + "incoming weight vector (a row of a dense weight, an output channel's kernel) is scaled down to "
                    + "this L2 norm where its own is larger. Values of 3 to 4 are usual; off when left out.")
            @Range(min = 0, minExclusive = true) Optional<Double> maxNorm) {
    }

    /**
     * Training-time image augmentation ({@link dev.bonsai.api.data.ImageJitter}).
     *
     * @param shift the largest translation in each direction, in pixels
     * @param flip  whether images are also flipped left-right with probability 1/2
     */
    public record AugmentSection(
            @Doc("Move each image by up to this many pixels in each direction (pad and random crop); pixels moved "
                    + "in from outside are black (in the dataset's own, possibly normalised, scale).")
            @DefaultValue("0") @Range(min = 0) int shift,
            @Doc("Also flip each image left-right with probability 1/2 (not for digits).") @DefaultValue("false")
            boolean flip) {

        /** Checks that it changes something. */
        public AugmentSection {
            if (shift == 0 && !flip) {
                throw new IllegalArgumentException("'augment' with shift 0 and no flip changes nothing: give a shift "
                        + "> 0 or flip: true, or leave 'augment' out");
            }
        }
    }

    /**
     * How to prune.
     *
     * @param strategies  the strategies compared
     * @param scope       layerwise, global or row (a strategy that fixes its own scope overrides it)
     * @param structure   what is removed
     * @param sparsities  target sparsities of the prunable weights
     * @param schedule    when to prune
     * @param finetune    fine-tuning after each pruning round
     * @param calibration batches of training data given to strategies that need data
     * @param exclude     layers never pruned
     * @param overrides   layers pruned to a target of their own
     * @param sensitivity whether each prunable layer is pruned alone, one trial per layer (sensitivity analysis)
     */
    public record PruneSection(
            @Doc("The strategies compared, by id or {id: ..., options}.") @PluginSlot(PluginKind.STRATEGY)
            List<PluginRef> strategies,
            @Doc("Where the target holds: layerwise (every layer), global (all prunable weights together) or row (every "
                    + "output row); strategies that fix their own (wanda: row, sparsegpt: layerwise) override it.")
            @DefaultValue("global") dev.bonsai.api.prune.Scope scope,
            @Doc("unstructured, an N:M pattern such as 2:4 or {n: 2, m: 4}, or neurons / channels / heads / mlp / "
                    + "blocks (whole units removed and the model rewritten smaller).")
            @DefaultValue("unstructured") dev.bonsai.api.prune.Structure structure,
            @Doc("Target sparsities: fractions of the prunable weights removed, each in [0, 1).")
            @Range(min = 0, max = 1, maxExclusive = true) List<Double> sparsities,
            @Doc("When to prune: one-shot, {id: iterative, rounds: 4}, {id: gradual, pruning_steps: 10} (during"
                    + " fine-tuning), {id: agp, rounds: 10} or {id: lottery-ticket, rounds: 5}.")
            @DefaultValue("one-shot")
            @PluginSlot(PluginKind.SCHEDULE) PluginRef schedule,
            @Doc("Fine-tuning after each pruning round.") @DefaultValue("{}") FinetuneSection finetune,
            @Doc("Batches of training data for strategies that score with data.") @DefaultValue("8") @Range(min = 1)
            int calibration,
            @Doc("Layers never pruned, e.g. [fc3] to keep the output layer dense.") @DefaultValue("[]")
            List<String> exclude,
            @Doc("Layers pruned to a target of their own, layerwise: [{layer: fc1, sparsity: 0.95}].")
            @DefaultValue("[]") List<LayerOverride> overrides,
            @Doc("Sensitivity analysis (as in Distiller): prune one layer at a time, alone, to each target sparsity; "
                    + "one trial per strategy, prunable layer and sparsity. Usually with finetune: {epochs: 0}.")
            @DefaultValue("false") boolean sensitivity) {

        /** Checks the lists. */
        public PruneSection {
            if (strategies.isEmpty()) {
                throw new IllegalArgumentException("'strategies' must name at least one strategy");
            }
            if (sparsities.isEmpty()) {
                throw new IllegalArgumentException("'sparsities' must list at least one target");
            }
            if (structure instanceof dev.bonsai.api.prune.Structure.NOfM nm) {
                double fixed = 1 - (double) nm.n() / nm.m();
                for (double s : sparsities) {
                    if (Math.abs(s - fixed) > 1e-9) {
                        throw new IllegalArgumentException("structure " + nm.label() + " keeps " + nm.n() + " of every "
                                + nm.m() + " weights, a sparsity of " + fixed + ", but 'sparsities' asks for " + s
                                + "; use sparsities: [" + fixed + "] or an unstructured structure");
                    }
                }
            }
            for (LayerOverride o : overrides) {
                if (exclude.contains(o.layer())) {
                    throw new IllegalArgumentException("layer '" + o.layer() + "' is both excluded and overridden");
                }
            }
            if (overrides.stream().map(LayerOverride::layer).distinct().count() != overrides.size()) {
                throw new IllegalArgumentException("'overrides' names a layer twice");
            }
            if (sensitivity && !overrides.isEmpty()) {
                throw new IllegalArgumentException("'sensitivity' prunes each layer alone to every target sparsity, so "
                        + "'overrides' cannot apply; remove them (or use 'exclude' to leave layers out)");
            }
        }
    }

    /**
     * A layer's own pruning target.
     *
     * @param layer    the layer's name
     * @param sparsity its target sparsity
     */
    public record LayerOverride(@Doc("The layer's name.") String layer,
            @Doc("Its own target sparsity, reached layerwise.") @Range(min = 0, max = 1, maxExclusive = true)
            double sparsity) {
    }

    /**
     * Fine-tuning after pruning.
     *
     * @param epochs epochs per pruning round
     * @param lr     the learning rate, replacing the training optimizer's
     */
    public record FinetuneSection(
            @Doc("Epochs of fine-tuning after each pruning round.") @DefaultValue("2") @Range(min = 0) int epochs,
            @Doc("Learning rate for fine-tuning (the training optimizer otherwise unchanged); default: training's.")
            Optional<Double> lr) {
    }

    /**
     * Knowledge distillation: every trial is run once per recipe, the student trained (and fine-tuned after
     * pruning) with the recipe's loss against the teacher.
     *
     * @param recipes the recipes compared
     * @param recipe  one recipe, shorthand for {@code recipes: [RECIPE]}
     * @param teacher the teacher, when a recipe needs one
     */
    public record DistillSection(
            @Doc("The recipes compared, by id or {id: ..., options}; 'none' trains on the hard labels alone, the "
                    + "baseline next to [none, {id: hinton, temperature: 20}].") @DefaultValue("[]")
            @PluginSlot(PluginKind.RECIPE) List<PluginRef> recipes,
            @Doc("One recipe, {id: hinton, temperature: 20, alpha: 0.9}: shorthand for recipes: [RECIPE].")
            @PluginSlot(PluginKind.RECIPE) Optional<PluginRef> recipe,
            @Doc("The teacher: {model: {...}, train: {...}} trained by this experiment (once, cached in the output "
                    + "folder), or {checkpoint: FILE}.") Optional<TeacherSection> teacher) {

        /** Checks that exactly one of recipe and recipes is given, and that a recipe needing a teacher has one. */
        public DistillSection {
            if (recipe.isPresent() == !recipes.isEmpty()) {
                throw new IllegalArgumentException("give either 'recipe' (one) or 'recipes' (a list), not "
                        + (recipe.isPresent() ? "both" : "neither"));
            }
            List<PluginRef> all = recipe.map(List::of).orElse(recipes);
            List<String> labels = all.stream().map(r -> Canonical.json(r)).toList();
            if (labels.stream().distinct().count() != labels.size()) {
                throw new IllegalArgumentException("'recipes' lists the same recipe twice");
            }
            if (teacher.isEmpty()) {
                for (PluginRef r : all) {
                    if (Recipes.needsTeacher(r)) {
                        throw new IllegalArgumentException("recipe '" + r.id() + "' needs a teacher: add "
                                + "teacher: {model: {...}} or teacher: {checkpoint: FILE}");
                    }
                }
            }
        }

        /** The recipes, whichever way they were given. */
        public List<PluginRef> allRecipes() {
            return recipe.map(List::of).orElse(recipes);
        }
    }

    /**
     * Where the teacher comes from: a model this experiment trains (once per provenance: model, dataset, training,
     * seed and engine; cached as a checkpoint under {@code teachers/} in the output folder and reused by every
     * trial, seed and later run that shares it), or a checkpoint file.
     *
     * @param model      the teacher's model, trained here
     * @param train      how the teacher is trained; the student's training by default
     * @param seed       the seed of the teacher's initial weights and data order; each student's own by default
     * @param engine     where the teacher runs; the student's engine by default
     * @param checkpoint a checkpoint file holding a trained teacher
     */
    public record TeacherSection(
            @Doc("The teacher's model, trained by this experiment: {id: mlp, hidden: [1200, 1200], dropout: 0.5}.")
            @PluginSlot(PluginKind.MODEL) Optional<PluginRef> model,
            @Doc("How the teacher is trained (same keys as the top-level train); default: the student's train.")
            Optional<TrainSection> train,
            @Doc("Seed of the teacher's initial weights and data order; default: each student seed trains its own "
                    + "teacher. Set it to share one teacher across seeds.") Optional<Long> seed,
            @Doc("The teacher's engine, {id: djl, device: cuda} or a device; default: the student's engine.")
            @PluginSlot(PluginKind.ENGINE) Optional<PluginRef> engine,
            @Doc("A checkpoint file holding a trained teacher (model and weights), relative to the descriptor's "
                    + "folder; instead of model and train.") Optional<String> checkpoint) {

        /** Checks that the teacher is either trained here or loaded. */
        public TeacherSection {
            if (model.isPresent() == checkpoint.isPresent()) {
                throw new IllegalArgumentException("a teacher needs either 'model' (trained by this experiment) or "
                        + "'checkpoint' (a trained one), " + (model.isPresent() ? "not both" : "and has neither"));
            }
            if (checkpoint.isPresent() && (train.isPresent() || seed.isPresent())) {
                throw new IllegalArgumentException("a teacher loaded from 'checkpoint' is not trained: drop 'train' "
                        + "and 'seed'");
            }
        }
    }

    /**
     * Which trained weights are saved as checkpoint files ({@code dev.bonsai.models.checkpoint.CheckpointFile}, one
     * safetensors file per model: 4 bytes per parameter, about 11 MB for a 6-layer char-gpt of width 192).
     *
     * @param save whether to save: each seed's dense model as {@code checkpoints/dense-seed<S>.safetensors} and
     *             each trial's final model as {@code checkpoints/<trial id>.safetensors}
     */
    public record CheckpointsSection(
            @Doc("Save each seed's dense model (checkpoints/dense-seed<S>.safetensors) and each trial's final model "
                    + "(checkpoints/<trial id>.safetensors): 4 bytes per parameter, so off by default.")
            @DefaultValue("false") boolean save) {
    }

    /**
     * Text samples of each trial's final model, for language models.
     *
     * @param count       samples per trial
     * @param length      new tokens per sample
     * @param prompt      the text they continue; empty for the start of a line
     * @param temperature divides the logits; 0 is greedy
     * @param topK        draw from the k likeliest tokens only; 0 from all
     * @param seed        the sampling seed, the same for every trial so that models are compared on equal draws
     */
    public record SamplesSection(
            @Doc("Samples per trial.") @DefaultValue("3") @Range(min = 1) int count,
            @Doc("New tokens per sample.") @DefaultValue("200") @Range(min = 1) int length,
            @Doc("The text the samples continue; empty: the start of a line.") @DefaultValue("''") String prompt,
            @Doc("Divides the logits before the softmax; 0 always takes the likeliest token.") @DefaultValue("0.8")
            @Range(min = 0) double temperature,
            @Doc("Draw from the k likeliest tokens only; 0: from all.") @DefaultValue("0") @Range(min = 0) int topK,
            @Doc("The sampling seed, shared by all trials so that models are compared on the same draws.")
            @DefaultValue("1") long seed) {
    }
}
