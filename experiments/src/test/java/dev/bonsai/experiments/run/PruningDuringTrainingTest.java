package dev.bonsai.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.data.BatchSampler;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.api.engine.LrSchedule;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.engine.OptimizerSpec;
import dev.bonsai.api.engine.TrainingConfig;
import dev.bonsai.api.engine.TrainingListener;
import dev.bonsai.api.engine.TrainingPlan;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterRole;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.api.prune.TrainingPruningStep;
import dev.bonsai.engine.djl.DjlEngine;
import dev.bonsai.engine.dl4j.Dl4jEngine;
import dev.bonsai.experiments.plugins.PluginKind;
import dev.bonsai.experiments.plugins.PluginRef;
import dev.bonsai.strategies.gradual.GradualOptions;
import dev.bonsai.strategies.gradual.GradualSchedule;
import dev.bonsai.strategies.magnitude.MagnitudeStrategy;
import dev.bonsai.strategies.selection.MaskSelector;
import dev.bonsai.testkit.DefaultOptions;
import dev.bonsai.testkit.engine.SyntheticData;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gradual schedule on real engines: pruning from {@link PruningDuringTraining} happens after exactly the
 * scheduled number of optimizer steps, and the masks then in force on the network reach Zhu and Gupta's cubic
 * sparsity at every pruning step (within one weight of the prunable count: selection rounds to whole weights).
 */
class PruningDuringTrainingTest {
    private static final Shape INPUT = Shape.of(8);
    private static final int CLASSES = 3;

    static Stream<ComputeEngine<?>> engines() {
        return Stream.of(new DjlEngine(), new Dl4jEngine());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void gradualScheduleMatchesTheCubicFormulaAtEveryPruningStep(ComputeEngine<?> engine) {
        ModelSpec spec = new ModelSpec("gradual-mlp", INPUT, List.of(new LayerSpec.Dense("fc1", 24, true),
                new LayerSpec.Activate("act", Activation.RELU), new LayerSpec.Dense("out", CLASSES, true)));
        Split data = SyntheticData.separable("train", 480, INPUT, CLASSES, 7, 0);
        List<ParameterSpec> prunable = spec.parameters(ParameterRole.WEIGHT);
        long size = prunable.stream().mapToLong(ParameterSpec::size).sum();
        double si = 0.1;
        double sf = 0.85;
        long t0 = 3;
        int n = 5;
        long dt = 4;
        List<TrainingPruningStep> schedule = new GradualSchedule().duringTraining(sf, 30, 2,
                new GradualOptions(si, (int) t0, 0, (int) dt, n));
        try (EngineRuntime runtime = DefaultOptions.create(engine);
                Network network = runtime.build(spec, WeightInitializer.initialize(spec, 8), "cpu")) {
            long[] stepsDone = {0};
            List<long[]> at = new ArrayList<>();
            List<Double> reached = new ArrayList<>();
            TrainingListener counting = new TrainingListener() {
                @Override
                public void stepped(long step) {
                    stepsDone[0] = step + 1;
                }
            };
            MaskSelector selector = new MaskSelector();
            SplittableRandom random = new SplittableRandom(9);
            PruningDuringTraining pruning = new PruningDuringTraining(counting, schedule, sparsity -> {
                MagnitudeStrategy magnitude = new MagnitudeStrategy();
                dev.bonsai.api.NoOptions none = new dev.bonsai.api.NoOptions();
                PruningContextImpl context = new PruningContextImpl(network, new PluginRef(PluginKind.STRATEGY,
                        magnitude.id(), magnitude, none, null, null), magnitude.requirements(none), prunable,
                        List.of(), random.split());
                MaskSet masks = selector.select(magnitude.score(none, context),
                        prunable, network.masks(), sparsity, Scope.GLOBAL, new Structure.Unstructured());
                network.applyMasks(masks);
                at.add(new long[] {stepsDone[0]});
                reached.add(zeroFraction(network.weights(), prunable, size));
            });
            network.train(new TrainingPlan(data, new BatchSampler(10), 0, new TrainingConfig(2, 32,
                    new OptimizerSpec.Sgd(0.05, 0.9, false, 0), new LrSchedule.Constant(), 0,
                    List.of(new LossTerm.CrossEntropy(1))), Optional.empty()), pruning);
            assertThat(pruning.done()).isEqualTo(n + 1);
            for (int k = 0; k <= n; k++) {
                long t = t0 + k * dt;
                double f = 1 - (double) (t - t0) / (n * dt);
                double expected = sf + (si - sf) * f * f * f;
                assertThat(at.get(k)[0]).as("optimizer steps done before pruning step %d", k).isEqualTo(t);
                assertThat(reached.get(k)).as("sparsity of the network's weights at step %d", t)
                        .isCloseTo(expected, org.assertj.core.data.Offset.offset(1.0 / size));
            }
            double end = zeroFraction(network.weights(), prunable, size);
            assertThat(end).as("sparsity after the remaining steps at the final mask").isCloseTo(sf,
                    org.assertj.core.data.Offset.offset(1.0 / size));
            assertThat(network.masks().sparsity()).isCloseTo(sf, org.assertj.core.data.Offset.offset(1.0 / size));
        }
    }

    private static double zeroFraction(Weights weights, List<ParameterSpec> prunable, long size) {
        long zeros = 0;
        for (ParameterSpec p : prunable) {
            zeros += weights.get(p.name()).zeros();
        }
        return (double) zeros / size;
    }
}
