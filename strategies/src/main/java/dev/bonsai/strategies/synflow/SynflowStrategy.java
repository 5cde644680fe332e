package dev.bonsai.strategies.synflow;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.NoOptions;
import dev.bonsai.api.Spi;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.PruningContext;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.api.prune.Requirement;
import dev.bonsai.api.prune.Scores;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SynFlow ({@code synflow}): data-free scores S(θ) = θ ⊙ ∂R/∂θ of the synaptic flow R = 1ᵀ·f(1; |θ|), the output
 * of the network with every parameter replaced by its absolute value, fed an all-ones input.
 *
 * <p>H. Tanaka, D. Kunin, D. L. K. Yamins and S. Ganguli, "Pruning neural networks without any data by iteratively
 * conserving synaptic flow", NeurIPS 2020. Use it with an iterative schedule of many rounds and no fine-tuning
 * (the paper uses 100) to avoid layer collapse. For a chain of dense layers with ReLU (and flatten, dropout),
 * f is linear on non-negative inputs, so R and its gradient are computed exactly here on the host, in double
 * precision, from a forward pass b_l = |W_l|·b_{l-1} + |bias_l| and a backward pass a_{l-1} = |W_l|ᵀ·a_l: the score
 * of W_l[i, j] is |W_l[i, j]|·a_l[i]·b_{l-1}[j] / R (dividing by R keeps values in float range and does not
 * change the ranking). Other layers are refused with a clear message.
 */
public final class SynflowStrategy implements PruningStrategy<NoOptions> {

    /** Creates the strategy; it is stateless. */
    public SynflowStrategy() {
    }

    @Override
    public String id() {
        return "synflow";
    }

    @Override
    public String description() {
        return "SynFlow: data-free synaptic-flow scores |θ ⊙ ∂R/∂θ| (Tanaka et al. 2020); dense ReLU networks";
    }

    @Override
    public Class<NoOptions> optionsType() {
        return NoOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public Set<Requirement> requirements(NoOptions options) {
        return Set.of(Requirement.WEIGHTS);
    }

    @Override
    public Scores score(NoOptions options, PruningContext context) {
        List<LayerSpec.Dense> chain = denseChain(context.spec());
        Weights weights = context.weights();
        int inputs = Math.toIntExact(context.spec().inputShape().size());
        List<double[]> inputsOf = new ArrayList<>();
        double[] b = new double[inputs];
        java.util.Arrays.fill(b, 1);
        for (LayerSpec.Dense layer : chain) {
            inputsOf.add(b);
            float[] w = weights.get(layer.name() + ".weight").data();
            int in = b.length;
            double[] next = new double[layer.units()];
            for (int i = 0; i < next.length; i++) {
                double s = layer.bias() ? Math.abs(weights.get(layer.name() + ".bias").data()[i]) : 0;
                for (int j = 0; j < in; j++) {
                    s += Math.abs(w[i * in + j]) * b[j];
                }
                next[i] = s;
            }
            b = next;
        }
        double r = 0;
        for (double v : b) {
            r += v;
        }
        double norm = r > 0 ? r : 1;
        Map<String, float[]> scores = new LinkedHashMap<>();
        double[] a = new double[b.length];
        java.util.Arrays.fill(a, 1);
        for (int l = chain.size() - 1; l >= 0; l--) {
            LayerSpec.Dense layer = chain.get(l);
            String name = layer.name() + ".weight";
            float[] w = weights.get(name).data();
            double[] in = inputsOf.get(l);
            float[] s = new float[w.length];
            double[] previous = new double[in.length];
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < in.length; j++) {
                    double abs = Math.abs(w[i * in.length + j]);
                    s[i * in.length + j] = (float) (abs * a[i] * in[j] / norm);
                    previous[j] += abs * a[i];
                }
            }
            scores.put(name, s);
            a = previous;
        }
        Map<String, float[]> ordered = new LinkedHashMap<>();
        context.prunable().forEach(p -> {
            float[] s = scores.get(p.name());
            if (s == null) {
                throw new BonsaiException("synflow has no score for '" + p.name() + "'");
            }
            ordered.put(p.name(), s);
        });
        return new Scores(ordered);
    }

    /** The dense layers of a model made only of dense, flatten, ReLU and dropout layers. */
    private static List<LayerSpec.Dense> denseChain(ModelSpec spec) {
        List<LayerSpec.Dense> chain = new ArrayList<>();
        for (LayerSpec layer : spec.layers()) {
            if (layer instanceof LayerSpec.Dense dense) {
                chain.add(dense);
            } else if (!(layer instanceof LayerSpec.Flatten || layer instanceof LayerSpec.Dropout
                    || layer instanceof LayerSpec.Activate act && act.function() == Activation.RELU)) {
                throw new BonsaiException("synflow handles networks of dense, flatten, ReLU and dropout layers; layer '"
                        + layer.name() + "' (" + layer.kind() + ") of model '" + spec.name() + "' is not supported yet");
            }
        }
        return chain;
    }
}
