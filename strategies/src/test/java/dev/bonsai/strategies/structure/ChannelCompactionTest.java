package dev.bonsai.strategies.structure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.PoolKind;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.testkit.engine.HostReference;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The model without its pruned channels computes what the masked model did, with fewer filters. */
class ChannelCompactionTest {

    /** conv1 (bias) → relu → pool → conv2 (no bias) → batch norm → relu → flatten → dropout → fc → relu → out. */
    private static ModelSpec cnn() {
        return new ModelSpec("tiny-cnn", Shape.of(2, 6, 6), List.of(
                new LayerSpec.Conv2d("conv1", 4, 3, 1, 1, true), new LayerSpec.Activate("relu1", Activation.RELU),
                new LayerSpec.Pool2d("pool1", PoolKind.MAX, 2, 2),
                new LayerSpec.Conv2d("conv2", 3, 3, 1, 1, false), new LayerSpec.BatchNorm("bn2", 0.1, 1e-5),
                new LayerSpec.Activate("gelu2", Activation.GELU), new LayerSpec.Flatten("flat"),
                new LayerSpec.Dropout("drop", 0.2), new LayerSpec.Dense("fc", 5, true),
                new LayerSpec.Activate("relu3", Activation.RELU), new LayerSpec.Dense("out", 2, true)));
    }

    /** Weights with random, non-trivial batch-norm parameters and statistics (as after training). */
    private static Weights trained(ModelSpec spec, long seed) {
        Weights w = WeightInitializer.initialize(spec, seed);
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, Tensor> out = new LinkedHashMap<>(w.asMap());
        for (Map.Entry<String, Tensor> e : w.asMap().entrySet()) {
            String name = e.getKey();
            boolean norm = spec.parameter(name).role().name().startsWith("NORM") || name.contains("running");
            if (norm || name.endsWith(".bias")) {
                float[] d = new float[e.getValue().size()];
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) (name.endsWith("running_var") ? r.nextDouble(0.5, 2) : r.nextDouble(-1, 1));
                }
                out.put(name, new Tensor(e.getValue().shape(), d));
            }
        }
        return new Weights(out);
    }

    /** A mask of {@code spec}'s parameter {@code name} with {@code rows} of its first axis pruned. */
    static Mask rowsPruned(ModelSpec spec, String name, int... rows) {
        Shape shape = spec.parameter(name).shape();
        int length = Math.toIntExact(shape.size() / shape.dim(0));
        BitSet kept = new BitSet();
        kept.set(0, Math.toIntExact(shape.size()));
        for (int r : rows) {
            kept.clear(r * length, (r + 1) * length);
        }
        return new Mask(shape, kept);
    }

    /** {@code w} with the masked elements zeroed, as an engine holds them. */
    static Weights applied(Weights w, MaskSet masks) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : w.asMap().entrySet()) {
            float[] d = e.getValue().data().clone();
            masks.get(e.getKey()).ifPresent(m -> {
                for (int i = 0; i < d.length; i++) {
                    if (!m.kept(i)) {
                        d[i] = 0;
                    }
                }
            });
            out.put(e.getKey(), new Tensor(e.getValue().shape(), d));
        }
        return new Weights(out);
    }

    /** Asserts both models give the same logits (evaluation mode) on random inputs. */
    static void assertSameOutputs(ModelSpec a, Weights wa, ModelSpec b, Weights wb, long seed) {
        int batch = 8;
        int width = Math.toIntExact(a.inputShape().size());
        float[] x = new float[batch * width];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-2, 2);
        }
        double[] ya = HostReference.logits(a, wa, x, batch);
        double[] yb = HostReference.logits(b, wb, x, batch);
        double scale = 0;
        for (double v : ya) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertThat(scale).as("outputs are not trivially zero").isGreaterThan(1e-3);
        for (int i = 0; i < ya.length; i++) {
            assertThat(Math.abs(yb[i] - ya[i])).as("output %d: compacted %s vs masked %s", i, yb[i], ya[i])
                    .isLessThanOrEqualTo(1e-9 * scale);
        }
    }

    @Test
    void theCompactedModelComputesTheMaskedModelsOutputs() {
        ModelSpec spec = cnn();
        Weights w = trained(spec, 3);
        ChannelGroups groups = ChannelGroups.of(spec);
        assertThat(groups.removable()).containsOnlyKeys("conv1", "conv2");
        assertThat(groups.removable().get("conv2").companions()).containsExactly("bn2.weight", "bn2.bias");
        assertThat(groups.removable().get("conv2").consumer().spatial()).isEqualTo(9);
        Map<String, Mask> m = new LinkedHashMap<>();
        m.put("conv1.weight", rowsPruned(spec, "conv1.weight", 1, 3));
        m.put("conv2.weight", rowsPruned(spec, "conv2.weight", 0));
        // an unstructured mask on the flattened channels' consumer, to be sliced with it
        BitSet fcKept = new BitSet();
        fcKept.set(0, 5 * 27);
        fcKept.clear(9 + 4);
        fcKept.clear(2 * 27 + 20);
        fcKept.clear(27 + 3);
        m.put("fc.weight", new Mask(Shape.of(5, 27), fcKept));
        MaskSet masks = groups.withCompanions(new MaskSet(m));
        assertThat(masks.get("conv1.bias").orElseThrow().prunedCount()).isEqualTo(2);
        assertThat(masks.get("bn2.weight").orElseThrow().kept(0)).isFalse();
        assertThat(masks.get("bn2.bias").orElseThrow().keptCount()).isEqualTo(2);
        Weights masked = applied(w, masks);

        Compacted result = ChannelCompaction.compact(spec, masked, masks);

        assertThat(result.removed()).containsExactly(Map.entry("conv1", 2), Map.entry("conv2", 1));
        ModelSpec small = result.spec();
        assertThat(small.parameter("conv1.weight").shape()).isEqualTo(Shape.of(2, 2, 3, 3));
        assertThat(small.parameter("conv2.weight").shape()).isEqualTo(Shape.of(2, 2, 3, 3));
        assertThat(small.parameter("bn2.running_var").shape()).isEqualTo(Shape.of(2));
        assertThat(small.parameter("fc.weight").shape()).isEqualTo(Shape.of(5, 18));
        // 2·2·9 + 2 + 2·2·9 + 2·2 (+ running stats, not trainable) + 5·18 + 5 + 2·5 + 2
        assertThat(small.trainableParameterCount()).isEqualTo(36 + 2 + 36 + 4 + 90 + 5 + 10 + 2);
        // conv2's channel 0 went, so fc's columns 0..8 went with the pruned (1, 3); (0, 13) and (2, 20) move to
        // columns 4 and 11
        Mask fc = result.masks().get("fc.weight").orElseThrow();
        assertThat(fc.prunedCount()).isEqualTo(2);
        assertThat(fc.kept(4)).isFalse();
        assertThat(fc.kept(2 * 18 + 11)).isFalse();
        assertThat(result.masks().asMap()).doesNotContainKeys("conv1.weight", "conv1.bias", "conv2.weight",
                "bn2.weight", "bn2.bias");
        assertSameOutputs(spec, masked, small, result.weights(), 11);
    }

    @Test
    void aPrunedChannelThatStillEmitsSomethingIsRefused() {
        ModelSpec spec = cnn();
        Weights w = trained(spec, 5);
        // the filter alone, without its bias: the channel emits relu(bias), which the next conv sees
        MaskSet filterOnly = new MaskSet(Map.of("conv1.weight", rowsPruned(spec, "conv1.weight", 2)));
        assertThatThrownBy(() -> ChannelCompaction.compact(spec, applied(w, filterOnly), filterOnly))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("channel 2 of conv layer 'conv1'")
                .hasMessageContaining("conv1.bias");
        MaskSet all = ChannelGroups.of(spec).withCompanions(new MaskSet(Map.of("conv2.weight",
                rowsPruned(spec, "conv2.weight", 0, 1, 2))));
        assertThatThrownBy(() -> ChannelCompaction.compact(spec, applied(w, all), all))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("every channel of conv layer 'conv2'");
    }

    @Test
    void convsFeedingAResidualAdditionAreExcludedAndOnesInsideTheBranchAreRemoved() {
        ModelSpec spec = new ModelSpec("res", Shape.of(2, 4, 4), List.of(
                new LayerSpec.Conv2d("stem", 3, 3, 1, 1, true), new LayerSpec.Activate("relu0", Activation.RELU),
                new LayerSpec.Residual("block", List.of(
                        new LayerSpec.Conv2d("inner", 4, 3, 1, 1, false), new LayerSpec.BatchNorm("bn", 0.1, 1e-5),
                        new LayerSpec.Activate("relu1", Activation.RELU),
                        new LayerSpec.Conv2d("last", 3, 3, 1, 1, true))),
                new LayerSpec.Flatten("flat"), new LayerSpec.Dense("out", 2, true)));
        ChannelGroups groups = ChannelGroups.of(spec);
        assertThat(groups.removable()).containsOnlyKeys("inner");
        assertThat(groups.excluded()).containsOnlyKeys("stem", "last");
        assertThat(groups.excluded().get("stem")).contains("residual 'block'");
        assertThat(groups.excluded().get("last")).contains("residual 'block'").contains("same channels");

        Weights w = trained(spec, 7);
        MaskSet masks = groups.withCompanions(new MaskSet(Map.of("inner.weight",
                rowsPruned(spec, "inner.weight", 0, 2))));
        Weights masked = applied(w, masks);
        Compacted result = ChannelCompaction.compact(spec, masked, masks);
        assertThat(result.removed()).containsExactly(Map.entry("inner", 2));
        assertThat(result.spec().parameter("last.weight").shape()).isEqualTo(Shape.of(3, 2, 3, 3));
        assertSameOutputs(spec, masked, result.spec(), result.weights(), 13);
    }

    @Test
    void exclusionsNameTheLayerAndTheReason() {
        ModelSpec spec = new ModelSpec("odd", Shape.of(1, 6, 6), List.of(
                new LayerSpec.Conv2d("sig", 2, 3, 1, 1, true), new LayerSpec.Activate("s", Activation.SIGMOID),
                new LayerSpec.Conv2d("ln", 2, 3, 1, 1, true), new LayerSpec.LayerNorm("norm", 1e-5),
                new LayerSpec.Conv2d("tail", 2, 3, 1, 1, true)));
        ChannelGroups groups = ChannelGroups.of(spec);
        assertThat(groups.removable()).isEmpty();
        assertThat(groups.excluded().get("sig")).contains("activation 's' (sigmoid) maps 0 to 0.5");
        assertThat(groups.excluded().get("ln")).contains("layer 'norm' (layernorm)");
        assertThat(groups.excluded().get("tail")).contains("model's outputs");
    }
}
