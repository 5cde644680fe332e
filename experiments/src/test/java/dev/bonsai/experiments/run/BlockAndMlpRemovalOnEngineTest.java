package dev.bonsai.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.descriptor.PluginOptions;
import dev.bonsai.experiments.plugins.PluginKind;
import dev.bonsai.models.CharGpt;
import dev.bonsai.models.CharGptOptions;
import dev.bonsai.strategies.selection.MaskSelector;
import dev.bonsai.strategies.structure.Compacted;
import dev.bonsai.strategies.structure.PruningGroups;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Depth pruning ({@code blocks}) and MLP-unit pruning ({@code mlp}) on the djl engine: a tiny char-gpt, pruned by
 * magnitude and fine-tuned with its masks, gives the same logits as the smaller model the pruned units were removed
 * from.
 */
class BlockAndMlpRemovalOnEngineTest {
    private static final int VOCAB = 7;
    private static final int LENGTH = 8;

    @Test
    void removingWholeBlocksGivesTheMaskedModelsLogits() {
        ModelSpec spec = gpt(3);
        Compacted small = pruneTrainAndCompare(spec, Structure.Unit.BLOCKS, 0.34, Scope.GLOBAL);
        assertThat(small.removed()).hasSize(1);
        String gone = small.removed().keySet().iterator().next();
        assertThat(small.spec().layers()).extracting(LayerSpec::name).doesNotContain(gone).hasSize(
                spec.layers().size() - 1);
        assertThat(small.spec().layers().stream().filter(l -> l instanceof LayerSpec.TransformerBlock)).hasSize(2);
        // a char-gpt block of width 16: 12·16² + 13·16 parameters
        assertThat(spec.trainableParameterCount() - small.spec().trainableParameterCount())
                .isEqualTo(12 * 16 * 16 + 13 * 16);
    }

    @Test
    void removingMlpUnitsGivesTheMaskedModelsLogits() {
        ModelSpec spec = gpt(2);
        Compacted small = pruneTrainAndCompare(spec, Structure.Unit.MLP, 0.25, Scope.LAYERWISE);
        // each block's 64 hidden units lose 16: a row of fc (16 inputs and a bias) and a column of proj each
        assertThat(small.removed()).containsExactly(Map.entry("block1.fc", 16), Map.entry("block2.fc", 16));
        assertThat(small.spec().parameter("block1.fc.weight").shape()).isEqualTo(Shape.of(48, 16));
        assertThat(small.spec().parameter("block2.proj.weight").shape()).isEqualTo(Shape.of(16, 48));
        assertThat(spec.trainableParameterCount() - small.spec().trainableParameterCount())
                .isEqualTo(2 * 16 * (16 + 1 + 16));
    }

    private static ModelSpec gpt(int layers) {
        return new CharGpt().build(new CharGptOptions(layers, 4, 16, LENGTH, 0),
                new DatasetInfo("tokens", Shape.of(LENGTH), VOCAB, Map.of(), List.of()));
    }

    /**
     * Selects {@code unit} groups by weight magnitude, fine-tunes with the masks for an epoch, removes the pruned
     * groups and asserts the smaller model's logits are the masked one's.
     */
    private static Compacted pruneTrainAndCompare(ModelSpec spec, Structure.Unit unit, double target, Scope scope) {
        Split data = tokens(48, 3);
        ComputeEngine<?> engine = (ComputeEngine<?>) Bonsai.create().plugins().find(PluginKind.ENGINE, "djl")
                .orElseThrow();
        try (EngineRuntime runtime = create(engine);
                Network network = runtime.build(spec, WeightInitializer.initialize(spec, 3), "cpu")) {
            PruningGroups groups = PruningGroups.of(spec, unit);
            Map<String, float[]> scores = new LinkedHashMap<>();
            for (String layer : groups.layers().keySet()) {
                for (String p : groups.scoredParameters(layer)) {
                    float[] w = network.weights().get(p).data().clone();
                    for (int i = 0; i < w.length; i++) {
                        w[i] = Math.abs(w[i]);
                    }
                    scores.put(p, w);
                }
            }
            MaskSet masks = groups.select(new MaskSelector(), new Scores(scores), List.copyOf(groups.layers().keySet()),
                    MaskSet.empty(), target, scope);
            network.applyMasks(masks);
            network.train(new TrainingPlan(data, new BatchSampler(5), 0, new TrainingConfig(1, 16,
                    new OptimizerSpec.Adam(0.01, 0.9, 0.999, 1e-8, 0, false), new LrSchedule.Constant(), 0,
                    List.of(new LossTerm.CrossEntropy(1))), Optional.empty()), TrainingListener.NONE);
            Batch batch = data.batch(BatchSampler.permutation(data.size(), 1, 0), 0, 16);
            float[] masked = network.logits(batch).data();

            Compacted small = groups.compact(network.weights(), network.masks());
            assertThat(small.masks().isEmpty()).as("nothing but whole units was pruned").isTrue();
            try (Network compact = runtime.build(small.spec(), small.weights(), "cpu")) {
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
            return small;
        }
    }

    /** Random token sequences with next-token labels at every position. */
    private static Split tokens(int samples, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] features = new float[samples * LENGTH];
        int[] labels = new int[samples * LENGTH];
        for (int s = 0; s < samples; s++) {
            int first = random.nextInt(VOCAB);
            for (int t = 0; t < LENGTH; t++) {
                features[s * LENGTH + t] = (first + t) % VOCAB;
                labels[s * LENGTH + t] = (first + t + 1) % VOCAB;
            }
        }
        return new Split("train", Shape.of(LENGTH), features, labels, LENGTH);
    }

    private static <O extends Record> EngineRuntime create(ComputeEngine<O> engine) {
        return engine.create(PluginOptions.bind(engine, "{}", "test"));
    }
}
