package dev.bonsai.experiments.run;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.data.BatchSampler;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.engine.Evaluation;
import dev.bonsai.api.engine.MovementProbe;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.engine.OptimizerSpec;
import dev.bonsai.api.engine.TrainingConfig;
import dev.bonsai.api.engine.TrainingListener;
import dev.bonsai.api.engine.TrainingPlan;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterRole;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.PruningContext;
import dev.bonsai.api.prune.PruningOutcome;
import dev.bonsai.api.prune.PruningStep;
import dev.bonsai.api.prune.Requirement;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.api.prune.TrainingPruningStep;
import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.experiments.descriptor.Binder;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.experiments.plugins.PluginRef;
import dev.bonsai.reports.model.Curves;
import dev.bonsai.reports.model.Sensitivity;
import dev.bonsai.experiments.run.ExperimentRunner.DenseResult;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.strategies.probes.Capabilities;
import dev.bonsai.strategies.selection.MaskSelector;
import dev.bonsai.strategies.structure.Compacted;
import dev.bonsai.strategies.structure.UnitRemoval;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One trial: from a seed's dense weights, the schedule's rounds of score → select → enforce → fine-tune, then the
 * final evaluation, as one {@link TrialRecord}. A trial that throws becomes a failed record.
 */
public final class TrialRunner {
    static final int EVAL_BATCH = 1000;
    /**
     * The batch a 64-token sequence model evaluates, in windows × positions²: longer windows are evaluated in fewer
     * per batch, so that a batch's attention scores (which grow with the square of the window) stay this size.
     */
    private static final long EVAL_SEQUENCE_BUDGET = EVAL_BATCH * 64L * 64L;
    private static final Logger LOG = LogManager.getLogger(TrialRunner.class);
    private static final Set<Requirement> NEEDS_DATA = Set.of(Requirement.CALIBRATION_DATA, Requirement.GRADIENTS,
            Requirement.HESSIAN_VECTOR_PRODUCTS, Requirement.CURVATURE_DIAGONAL, Requirement.LAYER_INPUT_STATISTICS,
            Requirement.ACTIVATIONS, Requirement.LAYER_INPUT_MAGNITUDES);

    private final ExperimentDescriptor descriptor;
    private final Progress progress;
    private final TrialOutputs outputs;
    private final MaskSelector selector = new MaskSelector();

    /** A trial runner for the experiment's descriptor. */
    @Inject
    public TrialRunner(ExperimentDescriptor descriptor, Progress progress, TrialOutputs outputs) {
        this.descriptor = descriptor;
        this.progress = progress;
        this.outputs = outputs;
    }

    /**
     * Samples per evaluation batch of {@code split}: {@link #EVAL_BATCH}, or for windows longer than 64 tokens as many
     * as keep windows × positions² within what 1,000 windows of 64 tokens need.
     */
    public static int evalBatch(Split split) {
        long positions = split.labelsPerSample();
        if (positions <= 64) {
            return EVAL_BATCH;
        }
        return (int) Math.max(1, EVAL_SEQUENCE_BUDGET / (positions * positions));
    }

    /** Runs {@code trial} and returns its record, successful or failed. */
    TrialRecord run(TrialSpec trial, EngineRuntime runtime, ModelSpec spec, String device, Dataset data,
            DenseResult dense, double loadSeconds, Map<String, String> provenance) {
        long t0 = System.nanoTime();
        Map<String, Double> metrics = new LinkedHashMap<>(dense.metrics());
        Map<String, Double> timings = new LinkedHashMap<>();
        timings.put("load", loadSeconds);
        timings.put("train", dense.trainSeconds());
        String label = (descriptor.engine().size() > 1 ? ExperimentDescriptor.engineLabel(trial.engine()) + " · " : "")
                + (trial.recipe().isPresent() ? trial.recipeLabel() + " · " : "") + "seed " + trial.seed() + " · "
                + trial.strategyLabel() + trial.layer().map(l -> " on " + l + " alone").orElse("") + " @ " + trial.sparsity();
        Network network = null;
        try {
            network = runtime.build(spec, dense.weights(), device);
            Optional<Outcome> outcome = trial.strategy().isEmpty() ? Optional.empty()
                    : Optional.of(prune(trial, network, data, dense, label, timings));
            long prunable = prunableCount(spec, trial);
            if (outcome.isPresent() && descriptor.prune().orElseThrow().structure() instanceof Structure.Groups g) {
                Compacted compact = UnitRemoval.compact(g.unit(), spec, network.weights(), network.masks());
                network.close();
                network = runtime.build(compact.spec(), compact.weights(), device);
                network.applyMasks(compact.masks());
                LOG.info("{}: {} removed {}, {} → {} parameters", label, g.label(), compact.removed(),
                        spec.trainableParameterCount(), compact.spec().trainableParameterCount());
            }
            long e0 = System.nanoTime();
            Evaluation test = outcome.isEmpty() ? dense.test()
                    : network.evaluate(data.test(), evalBatch(data.test()));
            double evalSeconds = ExperimentRunner.seconds(e0);
            outcome.ifPresent(o -> dense.names().test(metrics, "pruned_test_", o.pruned()));
            outcome.ifPresent(o -> Curves.put(metrics, Curves.FINETUNE_LOSS, o.finetuneLosses()));
            dense.names().test(metrics, "test_", test);
            metrics.put("inference_samples_per_s", outcome.isEmpty() ? metrics.get("dense_inference_samples_per_s")
                    : data.test().size() / evalSeconds);
            Network evaluated = network;
            data.validation().ifPresent(v -> dense.names().validation(metrics, "validation_",
                    outcome.isEmpty() ? dense.validation().orElseThrow() : evaluated.evaluate(v, evalBatch(v))));
            timings.put("evaluate", dense.evaluateSeconds() + outcome.map(Outcome::evaluateSeconds).orElse(0.0)
                    + ExperimentRunner.seconds(e0));
            timings.put("total", loadSeconds + dense.trainSeconds() + ExperimentRunner.seconds(t0));
            Weights finalWeights = network.weights();
            outputs.trialDone(trial, network, finalWeights, data.info(), withStrategyOptions(provenance, trial, dense));
            Counts counts = Counts.of(network.spec(), finalWeights, prunableNames(spec, trial.layer()), prunable);
            putStructure(metrics, spec, network.spec(), finalWeights);
            LOG.info("{}: test accuracy {}%, loss {} (dense {}%{}), sparsity {}", label, pct(test.accuracy()),
                    String.format("%.4f", test.loss()), pct(dense.test().accuracy()),
                    outcome.map(o -> ", before fine-tuning " + pct(o.pruned().accuracy()) + "%").orElse(""),
                    String.format("%.4f", counts.sparsity()));
            return record(trial, TrialRecord.OK, null, counts.sparsity(), counts.total(), counts.nonzero(), metrics,
                    timings, withStrategyOptions(provenance, trial, dense));
        } catch (RuntimeException e) {
            LOG.error("{}: trial failed: {}", label, e.getMessage(), e instanceof BonsaiException ? null : e);
            timings.put("total", loadSeconds + dense.trainSeconds() + ExperimentRunner.seconds(t0));
            return record(trial, TrialRecord.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage(), Double.NaN,
                    spec.trainableParameterCount(), -1, metrics, timings, withStrategyOptions(provenance, trial, dense));
        } finally {
            if (network != null) {
                network.close();
            }
        }
    }

    private Outcome prune(TrialSpec trial, Network network, Dataset data, DenseResult dense, String label,
            Map<String, Double> timings) {
        ExperimentDescriptor.PruneSection prune = descriptor.prune().orElseThrow();
        PluginRef strategy = trial.strategy().orElseThrow();
        List<PruningStep> steps = PluginCalls.steps(prune.schedule(), trial.sparsity(), prune.finetune().epochs());
        if (steps.isEmpty() || steps.get(steps.size() - 1).sparsity() != trial.sparsity()) {
            throw new BonsaiException("schedule '" + prune.schedule().id() + "' does not end at the target sparsity "
                    + trial.sparsity() + ": " + steps);
        }
        Set<Requirement> needs = PluginCalls.requirements(strategy);
        boolean needsData = needs.stream().anyMatch(NEEDS_DATA::contains);
        List<Batch> calibration = needsData ? calibration(data.train(), trial.seed(), dense.config().batchSize())
                : List.of();
        Optional<MovementProbe> movement = needs.contains(Requirement.MOVEMENT_SCORES)
                ? Optional.of(Capabilities.resolve(network, MovementProbe.class)) : Optional.empty();
        TrainingConfig finetune = finetuneConfig(dense.config());
        Pruner pruner = new Pruner(trial, network, strategy, needs, prunableSet(network.spec(), trial.layer()),
                calibration, new SplittableRandom(trial.seed() * 0x9E3779B97F4A7C15L + 1), movement);
        double finetuneSeconds = 0;
        double[] evaluateSeconds = {0};
        List<Double> finetuneLosses = new ArrayList<>();
        Evaluation[] pruned = {null};
        int epoch = dense.epochs();
        try {
            for (int round = 0; round < steps.size(); round++) {
                PruningStep step = steps.get(round);
                boolean lastRound = round == steps.size() - 1;
                List<TrainingPruningStep> during = PluginCalls.duringTraining(prune.schedule(), step.sparsity(),
                        dense.trainData().size() / finetune.batchSize(), step.finetuneEpochs());
                if (!during.isEmpty() && during.get(during.size() - 1).sparsity() != step.sparsity()) {
                    throw new BonsaiException("schedule '" + prune.schedule().id() + "' prunes during training to "
                            + during.get(during.size() - 1).sparsity() + ", not to its round's sparsity "
                            + step.sparsity());
                }
                Runnable evaluatePruned = () -> {
                    long e0 = System.nanoTime();
                    pruned[0] = network.evaluate(data.test(), evalBatch(data.test()));
                    evaluateSeconds[0] += ExperimentRunner.seconds(e0);
                };
                if (during.isEmpty()) {
                    pruner.to(step.sparsity(), false);
                    if (lastRound) {
                        evaluatePruned.run();
                    }
                }
                if (step.rewind()) {
                    network.loadWeights(WeightInitializer.initialize(network.spec(), trial.seed()));
                }
                if (step.finetuneEpochs() > 0) {
                    long f0 = System.nanoTime();
                    String phaseLabel = label + " · fine-tuning" + (steps.size() > 1 ? " round " + (round + 1) : "");
                    movement.ifPresent(MovementProbe::start);
                    try (Progress.Phase phase = progress.phase(phaseLabel, step.finetuneEpochs(),
                            finetune.batchSize())) {
                        TrainingListener listener = DivergenceGuard.around(phase, phaseLabel);
                        if (!during.isEmpty()) {
                            int last = during.size();
                            int[] done = {0};
                            listener = new PruningDuringTraining(listener, during, sparsity -> {
                                pruner.to(sparsity, true);
                                if (++done[0] == last && lastRound) {
                                    evaluatePruned.run();
                                }
                            });
                        }
                        finetuneLosses.addAll(network.train(new TrainingPlan(dense.trainData(),
                                new BatchSampler(trial.seed()), epoch, finetune.withEpochs(step.finetuneEpochs()),
                                dense.teacher().map(Teachers.Teacher::network)), listener).epochLosses());
                    }
                    epoch += step.finetuneEpochs();
                    finetuneSeconds += ExperimentRunner.seconds(f0);
                }
            }
        } finally {
            movement.ifPresent(MovementProbe::stop);
        }
        timings.put("prune", pruner.seconds());
        timings.put("finetune", finetuneSeconds - pruner.secondsDuringTraining());
        return new Outcome(pruned[0], evaluateSeconds[0], finetuneLosses);
    }

    /**
     * Score → select → compensate → enforce, to one sparsity after another, on a trial's network; masks compose (a
     * pruned weight stays pruned).
     */
    private final class Pruner {
        private final TrialSpec trial;
        private final Network network;
        private final PluginRef strategy;
        /** What the strategy declared: its context offers these capabilities and no others. */
        private final Set<Requirement> declared;
        private final PrunableSet prunable;
        private final List<Batch> calibration;
        private final SplittableRandom random;
        private final Optional<MovementProbe> movement;
        private double seconds;
        private double secondsDuringTraining;

        Pruner(TrialSpec trial, Network network, PluginRef strategy, Set<Requirement> declared, PrunableSet prunable,
                List<Batch> calibration, SplittableRandom random, Optional<MovementProbe> movement) {
            this.trial = trial;
            this.network = network;
            this.strategy = strategy;
            this.declared = Set.copyOf(declared);
            this.prunable = prunable;
            this.calibration = calibration;
            this.random = random;
            this.movement = movement;
        }

        /** Prunes to {@code sparsity} of the prunable weights, {@code duringTraining} or between trainings. */
        void to(double sparsity, boolean duringTraining) {
            long p0 = System.nanoTime();
            ExperimentDescriptor.PruneSection prune = descriptor.prune().orElseThrow();
            PruningContext context = new PruningContextImpl(network, strategy, declared, prunable.parameters(),
                    calibration, random.split());
            Scope scope = PluginCalls.scope(strategy).orElse(prune.scope());
            MaskSet masks;
            Optional<Weights> corrected;
            if (PluginCalls.selectsMasks(strategy)) {
                PruningOutcome outcome = PluginCalls.prune(strategy, context,
                        prunable.target(strategy.id(), sparsity, trial.sparsity(), scope, prune.structure()));
                masks = prunable.accept(strategy.id(), outcome, network.masks(), network.spec());
                corrected = Optional.of(outcome.weights());
            } else {
                Scores scores = PluginCalls.score(strategy, context);
                masks = prunable.select(selector, scores, network.masks(), sparsity, trial.sparsity(), scope,
                        prune.structure());
                corrected = PluginCalls.compensate(strategy, context, masks);
            }
            network.applyMasks(masks);
            corrected.ifPresent(network::loadWeights);
            double took = ExperimentRunner.seconds(p0);
            seconds += took;
            if (duringTraining) {
                secondsDuringTraining += took;
            }
            LOG.debug("pruned to {} (masks: {})", sparsity, String.format("%.4f", masks.sparsity()));
        }

        /** Seconds spent pruning. */
        double seconds() {
            return seconds;
        }

        /** Seconds of {@link #seconds()} spent inside a training call (counted in its wall time too). */
        double secondsDuringTraining() {
            return secondsDuringTraining;
        }
    }

    /**
     * Puts {@code dense_flops} and {@code flops} (forward FLOPs per sample of the original and of the final model,
     * counting only non-zero weights) and {@code sparsity.<parameter>} for every prunable parameter, measured
     * against its size in the original model (so removed units, and the parameters of removed blocks, count as
     * pruned).
     */
    private void putStructure(Map<String, Double> metrics, ModelSpec original, ModelSpec result, Weights weights) {
        metrics.put("dense_flops", FlopCounter.forward(original, name -> 1));
        metrics.put("flops", FlopCounter.forward(result, name -> {
            Tensor t = weights.get(name);
            return t.size() == 0 ? 0 : 1 - (double) t.zeros() / t.size();
        }));
        java.util.function.Predicate<String> isPrunable = prunableNames(original, Optional.empty());
        for (ParameterSpec p : original.parameters().values()) {
            if (isPrunable.test(p.name())) {
                // a parameter of a removed block is gone from the result: all of it is pruned
                Tensor t = weights.contains(p.name()) ? weights.get(p.name()) : null;
                long nonzero = t == null ? 0 : t.size() - t.zeros();
                metrics.put("sparsity." + p.name(), 1 - (double) nonzero / p.size());
            }
        }
    }

    /** How many elements the parameters that the trial may prune have in {@code spec}. */
    private long prunableCount(ModelSpec spec, TrialSpec trial) {
        java.util.function.Predicate<String> isPrunable = prunableNames(spec, trial.layer());
        return spec.parameters().values().stream().filter(p -> isPrunable.test(p.name()))
                .mapToLong(ParameterSpec::size).sum();
    }

    /**
     * The parameters the achieved sparsity is measured over: those the descriptor lets the trial prune (in a
     * sensitivity analysis, those of the trial's layer).
     */
    private java.util.function.Predicate<String> prunableNames(ModelSpec spec, Optional<String> layer) {
        return descriptor.prune().map(p -> prunableSet(spec, layer))
                .<java.util.function.Predicate<String>>map(set -> set::contains)
                .orElse(name -> spec.parameter(name).role() == ParameterRole.WEIGHT);
    }

    /** What a trial prunes in {@code spec}: the descriptor's prunable set, or its {@code layer} alone. */
    private PrunableSet prunableSet(ModelSpec spec, Optional<String> layer) {
        ExperimentDescriptor.PruneSection p = descriptor.prune().orElseThrow();
        PrunableSet all = PrunableSet.of(spec, p.exclude(), p.overrides(), p.structure());
        return layer.map(all::onlyLayer).orElse(all);
    }

    private TrainingConfig finetuneConfig(TrainingConfig train) {
        Optional<Double> lr = descriptor.prune().orElseThrow().finetune().lr();
        if (lr.isEmpty()) {
            return train;
        }
        OptimizerSpec o = train.optimizer();
        OptimizerSpec changed = o instanceof OptimizerSpec.Sgd s
                ? new OptimizerSpec.Sgd(lr.get(), s.momentum(), s.nesterov(), s.weightDecay())
                : with((OptimizerSpec.Adam) o, lr.get());
        return train.withOptimizer(changed);
    }

    private static OptimizerSpec with(OptimizerSpec.Adam a, double lr) {
        return new OptimizerSpec.Adam(lr, a.beta1(), a.beta2(), a.epsilon(), a.weightDecay(), a.decoupled());
    }

    private List<Batch> calibration(Split train, long seed, int batchSize) {
        int[] order = BatchSampler.permutation(train.size(), seed, 0xCA11B);
        int batches = Math.min(descriptor.prune().orElseThrow().calibration(), train.size() / batchSize);
        List<Batch> out = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            out.add(train.batch(order, b * batchSize, (b + 1) * batchSize));
        }
        return out;
    }

    private TrialRecord record(TrialSpec trial, String status, String error, double achieved, long total, long nonzero,
            Map<String, Double> metrics, Map<String, Double> timings, Map<String, String> provenance) {
        Optional<ExperimentDescriptor.PruneSection> prune = descriptor.prune();
        return new TrialRecord(descriptor.name(), trial.id(), status, error, descriptor.model().id(),
                descriptor.dataset().id(), trial.strategyLabel(),
                trial.layer().map(Sensitivity::scope)
                        .orElse(prune.map(p -> Binder.enumKey(p.scope())).orElse(TrialSpec.NONE)),
                prune.map(p -> p.structure().label()).orElse(TrialSpec.NONE),
                prune.map(p -> p.schedule().id()).orElse(TrialSpec.NONE), trial.sparsity(), achieved, total, nonzero,
                trial.seed(),
                trial.engine().id(), trial.engine().settings(
                        dev.bonsai.experiments.plugins.EngineSettings.class).device(),
                metrics, timings, provenance);
    }

    /**
     * Two configurations of one strategy id are told apart by their options, kept with the provenance; so are the
     * recipe (its label under {@code recipe}, which reports use as a dimension, and its options) and the teacher.
     */
    private static Map<String, String> withStrategyOptions(Map<String, String> provenance, TrialSpec trial,
            DenseResult dense) {
        Map<String, String> p = new LinkedHashMap<>(provenance);
        trial.strategy().ifPresent(s -> p.put("strategy_options", Canonical.json(s.options())));
        trial.recipe().ifPresent(r -> {
            p.put("recipe", trial.recipeLabel());
            p.put("recipe_options", Canonical.json(r.options()));
        });
        if (dense != null) {
            dense.teacher().ifPresent(t -> p.putAll(t.provenance()));
        }
        return p;
    }

    private static String pct(double fraction) {
        return String.format("%.2f", 100 * fraction);
    }

    private record Outcome(Evaluation pruned, double evaluateSeconds, List<Double> finetuneLosses) {
    }

    /**
     * Parameter counts of a trained network.
     *
     * @param total          trainable elements
     * @param nonzero        trainable elements that are not zero
     * @param prunable       elements of the prunable weights
     * @param prunableZeroes zero elements among them
     */
    record Counts(long total, long nonzero, long prunable, long prunableZeroes) {
        /**
         * The counts of {@code weights}, with the sparsity measured against {@code reference} prunable elements
         * (the original model's, which structured pruning made smaller).
         */
        static Counts of(ModelSpec spec, Weights weights, java.util.function.Predicate<String> isPrunable,
                long reference) {
            long total = 0;
            long nonzero = 0;
            long prunable = 0;
            long prunableZeroes = 0;
            for (ParameterSpec p : spec.parameters().values()) {
                if (!p.role().trainable()) {
                    continue;
                }
                Tensor t = weights.get(p.name());
                long zeros = t.zeros();
                total += t.size();
                nonzero += t.size() - zeros;
                if (isPrunable.test(p.name())) {
                    prunable += t.size();
                    prunableZeroes += zeros;
                }
            }
            return new Counts(total, nonzero, reference, prunableZeroes + reference - prunable);
        }

        double sparsity() {
            return prunable == 0 ? 0 : (double) prunableZeroes / prunable;
        }
    }
}
