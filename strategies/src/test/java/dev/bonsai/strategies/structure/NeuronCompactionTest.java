package dev.bonsai.strategies.structure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The compacted model computes what the masked one did, with fewer units. */
class NeuronCompactionTest {

    private static ModelSpec model(Activation act) {
        return new ModelSpec("m", Shape.of(3), List.of(new LayerSpec.Dense("fc1", 4, true),
                new LayerSpec.Activate("act", act), new LayerSpec.Dropout("drop", 0.1),
                new LayerSpec.Dense("fc2", 2, true)));
    }

    private static MaskSet rowsPruned(int... rows) {
        BitSet kept = new BitSet();
        kept.set(0, 12);
        for (int r : rows) {
            kept.clear(r * 3, r * 3 + 3);
        }
        return new MaskSet(Map.of("fc1.weight", new Mask(Shape.of(4, 3), kept)));
    }

    /** A plain forward pass (evaluation mode) with masked weights zeroed. */
    private static double[] forward(ModelSpec spec, Weights w, MaskSet masks, double[] x, Activation act) {
        double[] h = x;
        for (LayerSpec layer : spec.layers()) {
            if (layer instanceof LayerSpec.Dense d) {
                float[] wt = w.get(d.name() + ".weight").data();
                float[] b = w.get(d.name() + ".bias").data();
                var mask = masks.get(d.name() + ".weight");
                double[] y = new double[d.units()];
                for (int o = 0; o < y.length; o++) {
                    y[o] = b[o];
                    for (int i = 0; i < h.length; i++) {
                        int k = o * h.length + i;
                        y[o] += (mask.isPresent() && !mask.get().kept(k) ? 0 : wt[k]) * h[i];
                    }
                }
                h = y;
            } else if (layer instanceof LayerSpec.Activate) {
                for (int i = 0; i < h.length; i++) {
                    h[i] = act == Activation.RELU ? Math.max(0, h[i]) : Math.tanh(h[i]);
                }
            }
        }
        return h;
    }

    @Test
    void theCompactedModelComputesTheMaskedModelsOutputs() {
        for (Activation act : List.of(Activation.RELU, Activation.TANH)) {
            ModelSpec spec = model(act);
            Weights w = WeightInitializer.initialize(spec, 4);
            MaskSet masks = rowsPruned(1, 3);
            Compacted result = NeuronCompaction.compact(spec, w, masks);
            assertThat(((LayerSpec.Dense) result.spec().layers().get(0)).units()).isEqualTo(2);
            assertThat(result.removed()).containsEntry("fc1", 2);
            assertThat(result.spec().parameter("fc2.weight").shape()).isEqualTo(Shape.of(2, 2));
            assertThat(result.spec().trainableParameterCount()).isEqualTo(2 * 3 + 2 + 2 * 2 + 2);
            SplittableRandom r = new SplittableRandom(9);
            for (int trial = 0; trial < 20; trial++) {
                double[] x = {r.nextDouble(-2, 2), r.nextDouble(-2, 2), r.nextDouble(-2, 2)};
                double[] masked = forward(spec, w, masks, x.clone(), act);
                double[] compact = forward(result.spec(), result.weights(), result.masks(), x.clone(), act);
                for (int o = 0; o < 2; o++) {
                    assertThat(compact[o]).isCloseTo(masked[o], within(1e-5));
                }
            }
        }
    }

    @Test
    void refusesLayersItCannotCarryThroughAndTheOutputLayer() {
        ModelSpec withNorm = new ModelSpec("n", Shape.of(3), List.of(new LayerSpec.Dense("fc1", 4, true),
                new LayerSpec.LayerNorm("ln", 1e-5), new LayerSpec.Dense("fc2", 2, true)));
        assertThatThrownBy(() -> NeuronCompaction.compact(withNorm, WeightInitializer.initialize(withNorm, 1),
                rowsPruned(1))).hasMessageContaining("layer 'ln' (layernorm)");
        ModelSpec single = new ModelSpec("s", Shape.of(3), List.of(new LayerSpec.Dense("fc1", 4, true)));
        assertThatThrownBy(() -> NeuronCompaction.compact(single, WeightInitializer.initialize(single, 1),
                rowsPruned(1))).hasMessageContaining("outputs are the model's outputs");
    }
}
