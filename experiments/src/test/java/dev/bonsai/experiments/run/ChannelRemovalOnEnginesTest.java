package dev.bonsai.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.data.BatchSampler;
import dev.bonsai.api.data.DatasetInfo;
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
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterRole;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.descriptor.PluginOptions;
import dev.bonsai.experiments.plugins.PluginKind;
import dev.bonsai.models.Cnn;
import dev.bonsai.models.CnnOptions;
import dev.bonsai.models.LeNet5;
import dev.bonsai.strategies.selection.MaskSelector;
import dev.bonsai.strategies.structure.ChannelGroups;
import dev.bonsai.strategies.structure.Compacted;
import dev.bonsai.strategies.structure.ChannelCompaction;
import dev.bonsai.testkit.engine.SyntheticData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Structured removal on the real engines: the zoo's LeNet-5 and CIFAR CNN, channel-pruned by magnitude and
 * fine-tuned with their masks (so batch norm's running statistics move and the masks must hold through training),
 * give the same logits (evaluation mode) as the smaller models their channels were removed from.
 */
class ChannelRemovalOnEnginesTest {

    static Stream<Arguments> cases() {
        return Stream.of("djl", "dl4j").flatMap(engine -> Stream.of(Arguments.of(engine, "lenet-5"),
                Arguments.of(engine, "cnn")));
    }

    @ParameterizedTest(name = "{0} · {1}")
    @MethodSource("cases")
    void theSmallerModelGivesTheMaskedModelsOutputs(String engineId, String modelId) {
        ModelSpec spec = modelId.equals("lenet-5")
                ? new LeNet5().build(new NoOptions(), info(Shape.of(1, 28, 28)))
                : new Cnn().build(CnnOptions.defaults(), info(Shape.of(3, 32, 32)));
        Split data = SyntheticData.separable("train", 64, spec.inputShape(), 10, 7, 0);
        ComputeEngine<?> engine = (ComputeEngine<?>) Bonsai.create().plugins().find(PluginKind.ENGINE, engineId)
                .orElseThrow();
        try (EngineRuntime runtime = create(engine);
                Network network = runtime.build(spec, WeightInitializer.initialize(spec, 3), "cpu")) {
            ChannelGroups groups = ChannelGroups.of(spec);
            List<ParameterSpec> convs = spec.parameters(ParameterRole.WEIGHT).stream()
                    .filter(p -> groups.removable().containsKey(p.layer())).toList();
            assertThat(convs).as("conv kernels whose channels can go").isNotEmpty();
            Map<String, float[]> scores = new LinkedHashMap<>();
            for (ParameterSpec p : convs) {
                float[] w = network.weights().get(p.name()).data().clone();
                for (int i = 0; i < w.length; i++) {
                    w[i] = Math.abs(w[i]);
                }
                scores.put(p.name(), w);
            }
            MaskSet masks = groups.withCompanions(new MaskSelector().select(new Scores(scores), convs,
                    MaskSet.empty(), 0.5, Scope.LAYERWISE, new Structure.Groups(Structure.Unit.CHANNELS)));
            network.applyMasks(masks);
            network.train(new TrainingPlan(data, new BatchSampler(5), 0, new TrainingConfig(1, 16,
                    new OptimizerSpec.Sgd(0.01, 0.9, false, 0), new LrSchedule.Constant(), 0,
                    List.of(new LossTerm.CrossEntropy(1))), Optional.empty()), TrainingListener.NONE);
            Batch batch = data.batch(BatchSampler.permutation(data.size(), 1, 0), 0, 32);
            float[] masked = network.logits(batch).data();

            Compacted small = ChannelCompaction.compact(spec, network.weights(), network.masks());
            assertThat(small.removed()).isNotEmpty();
            assertThat(small.spec().trainableParameterCount()).isLessThan(spec.trainableParameterCount());
            try (Network compact = runtime.build(small.spec(), small.weights(), "cpu")) {
                compact.applyMasks(small.masks());
                float[] smaller = compact.logits(batch).data();
                double scale = 0;
                for (float v : masked) {
                    scale = Math.max(scale, Math.abs(v));
                }
                assertThat(scale).as("logits are not trivially zero").isGreaterThan(1e-3);
                // float32 sums over fewer (zero) terms in another order: relative 1e-5 of the largest logit
                for (int i = 0; i < masked.length; i++) {
                    assertThat((double) Math.abs(smaller[i] - masked[i])).as("logit %d: %s vs masked %s", i,
                            smaller[i], masked[i]).isLessThanOrEqualTo(1e-5 * scale);
                }
            }
        }
    }

    private static DatasetInfo info(Shape shape) {
        return new DatasetInfo("synthetic", shape, 10, Map.of(), List.of());
    }

    private static <O extends Record> EngineRuntime create(ComputeEngine<O> engine) {
        return engine.create(PluginOptions.bind(engine, "{}", "test"));
    }
}
