package dev.bonsai.strategies.synflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.strategies.support.FixedContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SynFlow against brute force: R is linear in each |θ|, so ∂R/∂|θ| is R's exact change when |θ| grows by one. */
class SynflowStrategyTest {
    private final ModelSpec spec = new ModelSpec("m", Shape.of(3), List.of(new LayerSpec.Dense("fc1", 4, true),
            new LayerSpec.Activate("relu", Activation.RELU), new LayerSpec.Dense("fc2", 2, true)));
    private final Weights weights = WeightInitializer.initialize(spec, 3);

    /** R = 1ᵀ(|W2|(|W1|·1 + |b1|) + |b2|), computed directly. */
    private static double flow(Weights w) {
        float[] w1 = w.get("fc1.weight").data();
        float[] b1 = w.get("fc1.bias").data();
        float[] w2 = w.get("fc2.weight").data();
        float[] b2 = w.get("fc2.bias").data();
        double[] h = new double[4];
        for (int i = 0; i < 4; i++) {
            h[i] = Math.abs(b1[i]);
            for (int j = 0; j < 3; j++) {
                h[i] += Math.abs(w1[i * 3 + j]);
            }
        }
        double r = 0;
        for (int k = 0; k < 2; k++) {
            r += Math.abs(b2[k]);
            for (int i = 0; i < 4; i++) {
                r += Math.abs(w2[k * 4 + i]) * h[i];
            }
        }
        return r;
    }

    @Test
    void scoresAreAbsoluteWeightTimesTheFlowGradientOverTheFlow() {
        var scores = new SynflowStrategy().score(new NoOptions(), new FixedContext(spec, weights, MaskSet.empty(), 1));
        double r = flow(weights);
        for (String name : List.of("fc1.weight", "fc2.weight")) {
            float[] data = weights.get(name).data();
            for (int i = 0; i < data.length; i++) {
                Weights bumped = weights.copy();
                float[] d = bumped.get(name).data();
                d[i] = Math.abs(d[i]) + 1;
                double gradient = flow(bumped) - r;
                assertThat((double) scores.get(name)[i]).isCloseTo(Math.abs(data[i]) * gradient / r, within(1e-6));
            }
        }
    }

    @Test
    void refusesLayersItCannotLinearise() {
        ModelSpec tanh = new ModelSpec("t", Shape.of(3), List.of(new LayerSpec.Dense("fc1", 4, true),
                new LayerSpec.Activate("act", Activation.TANH), new LayerSpec.Dense("fc2", 2, true)));
        assertThatThrownBy(() -> new SynflowStrategy().score(new NoOptions(),
                new FixedContext(tanh, WeightInitializer.initialize(tanh, 1), MaskSet.empty(), 1)))
                .hasMessageContaining("layer 'act' (tanh)");
    }
}
