package dev.bonsai.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.data.BatchSampler;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.GradientProbe;
import dev.bonsai.api.engine.MovementProbe;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.engine.OptimizerSpec;
import dev.bonsai.api.engine.TrainingListener;
import dev.bonsai.api.engine.TrainingPlan;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The contract of pruning during training: masks set from a {@link TrainingListener} between two optimizer steps
 * (as the {@code gradual} schedule does) and, for an engine that declares it, {@link MovementProbe} scores. An
 * engine's test module subclasses it as it does {@link EngineContract}.
 *
 * <p>Independent computations: the expected values come from the engine's {@link GradientProbe} on the very batch
 * the sampler gives each step, and plain Java arithmetic (SGD's update of a weight whose momentum was zeroed; the sum
 * −Σ W⊙G). Tolerance 1e-4 of the largest expected magnitude: the same float32 gradient computed twice differs only
 * in summation order.
 */
public abstract class TrainingTimePruningContract extends EngineTestBase {
    private static final int BATCH = 16;

    /** A mask applied from a listener zeroes the pruned elements' momentum: once cleared, they restart from 0. */
    @Test
    public void masksSetDuringTrainingZeroTheirMomentumAndHoldFromTheNextStep() {
        ModelSpec spec = EngineContract.mlp(Activation.RELU, Activation.TANH);
        Split data = SyntheticData.separable("train", 480, EngineContract.INPUT, EngineContract.CLASSES, 42, 0);
        MaskSet masks = EngineContract.randomMasks(spec, 61, "fc1.weight", "fc2.weight");
        double lr = 0.05;
        int[] order = new BatchSampler(62).order(data.size(), 0);
        try (Network network = runtime().build(spec, WeightInitializer.initialize(spec, 60), device())) {
            GradientProbe gradients = gradientProbe(network);
            Weights[] seen = new Weights[3];
            network.train(new TrainingPlan(data, new BatchSampler(62), 0,
                    EngineContract.config(new OptimizerSpec.Sgd(lr, 0.9, false, 0), 1, BATCH), Optional.empty()),
                    new TrainingListener() {
                        @Override
                        public void stepped(long step) {
                            if (step == 5) {
                                network.applyMasks(masks);
                                seen[0] = network.weights();
                            } else if (step == 6) {
                                seen[1] = network.weights();
                                network.clearMasks();
                                seen[2] = gradients.gradientSum(List.of(data.batch(order, 7 * BATCH, 8 * BATCH)));
                            } else if (step == 7) {
                                Weights now = network.weights();
                                for (Map.Entry<String, Mask> e : masks.asMap().entrySet()) {
                                    check(e.getKey(), e.getValue(), now, seen[2], lr);
                                }
                            }
                        }
                    });
            EngineContract.assertMaskedZero(seen[0], masks, "right after applyMasks from the listener");
            EngineContract.assertMaskedZero(seen[1], masks, "after the next optimizer step");
        }
    }

    /**
     * Evaluating two other splits from a listener (as the host does after the last pruning step) gives what the
     * logits say and leaves the training exactly as it would have been.
     */
    @Test
    public void evaluationDuringTrainingMatchesTheLogitsAndDoesNotDisturbTheTraining() {
        ModelSpec spec = EngineContract.mlp(Activation.RELU, Activation.TANH);
        Split data = SyntheticData.separable("train", 480, EngineContract.INPUT, EngineContract.CLASSES, 42, 0);
        List<Split> others = List.of(
                SyntheticData.separable("test", 203, EngineContract.INPUT, EngineContract.CLASSES, 42, 1),
                SyntheticData.separable("other", 97, EngineContract.INPUT, EngineContract.CLASSES, 42, 3));
        Weights initial = WeightInitializer.initialize(spec, 67);
        TrainingPlan plan = new TrainingPlan(data, new BatchSampler(68), 0,
                EngineContract.config(new OptimizerSpec.Sgd(0.05, 0.9, false, 0), 2, BATCH), Optional.empty());
        Weights undisturbed;
        try (Network network = runtime().build(spec, initial, device())) {
            network.train(plan, TrainingListener.NONE);
            undisturbed = network.weights();
        }
        try (Network network = runtime().build(spec, initial, device())) {
            int[] evaluated = {0};
            network.train(plan, new TrainingListener() {
                @Override
                public void stepped(long step) {
                    if (step == 4 || step == 40) {
                        for (Split split : others) {
                            dev.bonsai.api.engine.Evaluation e = network.evaluate(split, 64);
                            dev.bonsai.api.engine.Evaluation host = HostReference.evaluate(
                                    network.logits(EngineContract.all(split)).data(), split.labels(),
                                    EngineContract.CLASSES);
                            assertThat(e.accuracy()).as("accuracy on %s at step %d", split.name(), step)
                                    .isEqualTo(host.accuracy());
                            assertThat(Math.abs(e.loss() - host.loss())).isLessThanOrEqualTo(1e-5 * Math.max(1,
                                    host.loss()));
                            evaluated[0]++;
                        }
                    }
                }
            });
            assertThat(evaluated[0]).isEqualTo(4);
            if ("cpu".equals(device())) {
                EngineContract.assertSameWeights(network.weights(), undisturbed);
            }
        }
    }

    /** After the mask is cleared, a pruned weight (0, with zero momentum) moves by −lr·g exactly once. */
    private static void check(String name, Mask mask, Weights now, Weights gradient, double lr) {
        float[] w = now.get(name).data();
        float[] g = gradient.get(name).data();
        int pruned = mask.prunedCount();
        float[] actual = new float[pruned];
        double[] expected = new double[pruned];
        int k = 0;
        for (int i = 0; i < w.length; i++) {
            if (!mask.kept(i)) {
                actual[k] = w[i];
                expected[k] = -lr * g[i];
                k++;
            }
        }
        EngineContract.assertClose(actual, expected, 1e-4,
                name + " one step after its mask was cleared (momentum zeroed when it was pruned)");
    }

    /** The engine offers {@link MovementProbe} exactly when its metadata declares it. */
    @Test
    public void movementProbeIsOfferedExactlyWhenDeclared() {
        ModelSpec spec = EngineContract.mlp(Activation.RELU, Activation.TANH);
        try (Network network = runtime().build(spec, WeightInitializer.initialize(spec, 63), device())) {
            assertThat(network.capability(MovementProbe.class).isPresent())
                    .as("network offers MovementProbe iff engine().nativeCapabilities() lists it")
                    .isEqualTo(engine().nativeCapabilities().contains(MovementProbe.class));
        }
    }

    /** S = −(W₀⊙G₀ + W₁⊙G₁) over two SGD steps, with G from the gradient probe on each step's batch. */
    @Test
    public void movementScoresAreMinusTheSumOfWeightTimesGradientOverTheSteps() {
        ModelSpec spec = EngineContract.mlp(Activation.RELU, Activation.TANH);
        Split data = SyntheticData.separable("one-batch", BATCH, EngineContract.INPUT, EngineContract.CLASSES, 42, 2);
        MaskSet masks = EngineContract.randomMasks(spec, 65, "fc1.weight");
        BatchSampler sampler = new BatchSampler(66);
        try (Network network = runtime().build(spec, WeightInitializer.initialize(spec, 64), device())) {
            MovementProbe movement = movementProbe(network);
            GradientProbe gradients = gradientProbe(network);
            network.applyMasks(masks);
            movement.start();
            assertThat(movement.steps()).isZero();
            Map<String, double[]> expected = new java.util.LinkedHashMap<>();
            for (int epoch = 0; epoch < 2; epoch++) {
                Weights w = network.weights();
                Batch batch = data.batch(sampler.order(data.size(), epoch), 0, BATCH);
                Weights g = gradients.gradientSum(List.of(batch));
                for (String name : g.asMap().keySet()) {
                    double[] sum = expected.computeIfAbsent(name, n -> new double[w.get(n).size()]);
                    float[] wd = w.get(name).data();
                    float[] gd = g.get(name).data();
                    for (int i = 0; i < sum.length; i++) {
                        sum[i] -= (double) wd[i] * gd[i];
                    }
                }
                network.train(new TrainingPlan(data, sampler, epoch,
                        EngineContract.config(new OptimizerSpec.Sgd(0.1, 0, false, 0), 1, BATCH), Optional.empty()),
                        TrainingListener.NONE);
            }
            assertThat(movement.steps()).as("steps accumulated over two training calls").isEqualTo(2);
            Weights scores = movement.scores();
            assertThat(scores.asMap().keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            expected.forEach((name, e) -> EngineContract.assertClose(scores.get(name).data(), e, 1e-4,
                    "movement score of " + name));
            Mask fc1 = masks.get("fc1.weight").orElseThrow();
            float[] fc1Scores = scores.get("fc1.weight").data();
            for (int i = 0; i < fc1Scores.length; i++) {
                if (!fc1.kept(i)) {
                    assertThat(fc1Scores[i]).as("score of pruned fc1.weight[%d]", i).isZero();
                }
            }

            movement.start();
            assertThat(movement.steps()).as("steps after a restart").isZero();
            for (Tensor t : movement.scores().asMap().values()) {
                assertThat(t.zeros()).as("scores after a restart are zero").isEqualTo(t.size());
            }
            movement.stop();
            assertThat(movement.started()).isFalse();
            assertThatThrownBy(movement::scores).isInstanceOf(IllegalStateException.class);
            network.train(new TrainingPlan(data, sampler, 2,
                    EngineContract.config(new OptimizerSpec.Sgd(0.1, 0, false, 0), 1, BATCH), Optional.empty()),
                    TrainingListener.NONE);
            assertThat(movement.steps()).as("a stopped probe counts no steps").isZero();
        }
    }

    private MovementProbe movementProbe(Network network) {
        Optional<MovementProbe> probe = network.capability(MovementProbe.class);
        Assumptions.assumeTrue(probe.isPresent(), () -> "engine " + engine().id() + " has no MovementProbe");
        return probe.get();
    }

    private GradientProbe gradientProbe(Network network) {
        Optional<GradientProbe> probe = network.capability(GradientProbe.class);
        Assumptions.assumeTrue(probe.isPresent(), () -> "engine " + engine().id()
                + " has no native GradientProbe to compute the expected values with");
        return probe.get();
    }
}
