package dev.bonsai.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
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
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.descriptor.PluginOptions;
import dev.bonsai.experiments.plugins.PluginKind;
import dev.bonsai.models.CharGpt;
import dev.bonsai.models.CharGptOptions;
import dev.bonsai.strategies.selection.MaskSelector;
import dev.bonsai.strategies.structure.AttentionHeads;
import dev.bonsai.strategies.structure.Compacted;
import dev.bonsai.strategies.structure.HeadCompaction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Attention-head removal on the djl engine: a tiny char-gpt, head-pruned by magnitude and fine-tuned with its masks,
 * gives the same logits as the smaller model its heads were removed from, whose attention layers have fewer heads
 * of the same width.
 */
class HeadRemovalOnEngineTest {
    private static final int VOCAB = 7;
    private static final int LENGTH = 8;

    @Test
    void theSmallerModelGivesTheMaskedModelsLogits() {
        ModelSpec spec = new CharGpt().build(new CharGptOptions(2, 4, 16, LENGTH, 0),
                new DatasetInfo("tokens", Shape.of(LENGTH), VOCAB, Map.of(), List.of()));
        Split data = tokens(48, 3);
        ComputeEngine<?> engine = (ComputeEngine<?>) Bonsai.create().plugins().find(PluginKind.ENGINE, "djl")
                .orElseThrow();
        try (EngineRuntime runtime = create(engine);
                Network network = runtime.build(spec, WeightInitializer.initialize(spec, 3), "cpu")) {
            AttentionHeads heads = AttentionHeads.of(spec);
            assertThat(heads.layers()).containsOnlyKeys("block1.attn", "block2.attn");
            Map<String, float[]> scores = new LinkedHashMap<>();
            for (AttentionHeads.Layer layer : heads.layers().values()) {
                for (String p : List.of(layer.qkvWeight(), layer.projWeight())) {
                    float[] w = network.weights().get(p).data().clone();
                    for (int i = 0; i < w.length; i++) {
                        w[i] = Math.abs(w[i]);
                    }
                    scores.put(p, w);
                }
            }
            MaskSet masks = heads.select(new MaskSelector(), new Scores(scores), List.copyOf(heads.layers().keySet()),
                    MaskSet.empty(), 0.5, Scope.LAYERWISE);
            network.applyMasks(masks);
            network.train(new TrainingPlan(data, new BatchSampler(5), 0, new TrainingConfig(1, 16,
                    new OptimizerSpec.Adam(0.01, 0.9, 0.999, 1e-8, 0, false), new LrSchedule.Constant(), 0,
                    List.of(new LossTerm.CrossEntropy(1))), Optional.empty()), TrainingListener.NONE);
            Batch batch = data.batch(BatchSampler.permutation(data.size(), 1, 0), 0, 16);
            float[] masked = network.logits(batch).data();

            Compacted small = HeadCompaction.compact(spec, network.weights(), network.masks());
            assertThat(small.removed()).containsExactly(Map.entry("block1.attn", 2), Map.entry("block2.attn", 2));
            LayerSpec.TransformerBlock block = (LayerSpec.TransformerBlock) small.spec().layers().stream()
                    .filter(l -> l.name().equals("block1")).findFirst().orElseThrow();
            assertThat(block.heads()).isEqualTo(2);
            assertThat(block.headDim()).isEqualTo(4);
            // each block loses 2 heads · 4 wide: 3·8 rows of qkv (16 inputs and a bias each) and 8 columns of proj
            assertThat(spec.trainableParameterCount() - small.spec().trainableParameterCount())
                    .isEqualTo(2 * (3 * 8 * 17 + 16 * 8));
            assertThat(small.masks().isEmpty()).as("nothing but whole heads was pruned").isTrue();
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
        }
    }

    @Test
    void aHeadThatStillAddsToTheOutputIsNotRemoved() {
        ModelSpec spec = new CharGpt().build(new CharGptOptions(1, 2, 8, LENGTH, 0),
                new DatasetInfo("tokens", Shape.of(LENGTH), VOCAB, Map.of(), List.of()));
        ParameterSpec qkv = spec.parameter("block1.attn.qkv.weight");
        java.util.BitSet kept = new java.util.BitSet();
        kept.set(0, Math.toIntExact(qkv.size()));
        for (int block = 0; block < 3; block++) {
            kept.clear(block * 8 * 8, (block * 8 + 4) * 8); // head 0's rows of q, k and v
        }
        // the weights themselves are left dense: head 0's values and projection columns are not zero
        MaskSet masks = new MaskSet(Map.of(qkv.name(), new Mask(qkv.shape(), kept)));
        assertThatThrownBy(() -> HeadCompaction.compact(spec, WeightInitializer.initialize(spec, 1), masks))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("head 0")
                .hasMessageContaining("'block1.attn'").hasMessageContaining("change the model's outputs");
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
