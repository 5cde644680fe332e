package dev.bonsai.strategies.structure;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Removes pruned neurons for real: a dense layer's neuron whose whole weight row is masked
 * is deleted with its bias, the next dense layer loses the matching input column, and the model spec is rewritten
 * with fewer units, so the smaller model runs faster.
 *
 * <p>A removed neuron still emitted the constant act(bias) in the masked model; that constant times the next
 * layer's column is folded into the next layer's bias, so the compacted model computes exactly what the masked
 * one did (in evaluation mode). Between the two dense layers only activations and dropout may stand; a model
 * with anything else there is refused, naming the layer.
 */
public final class NeuronCompaction {

    private NeuronCompaction() {
    }

    /** Removes every neuron of {@code spec} whose weight row is entirely pruned by {@code masks}. */
    public static Compacted compact(ModelSpec spec, Weights weights, MaskSet masks) {
        List<LayerSpec> layers = new ArrayList<>(spec.layers());
        Map<String, Tensor> w = new LinkedHashMap<>(weights.copy().asMap());
        Map<String, Mask> m = new LinkedHashMap<>(masks.asMap());
        Map<String, Integer> removed = new LinkedHashMap<>();
        for (int k = 0; k < layers.size(); k++) {
            if (!(layers.get(k) instanceof LayerSpec.Dense dense)) {
                continue;
            }
            Optional<Mask> mask = Optional.ofNullable(m.get(dense.name() + ".weight"));
            if (mask.isEmpty()) {
                continue;
            }
            int out = dense.units();
            BitSet gone = Slices.prunedRows(mask.get());
            if (gone.isEmpty()) {
                continue;
            }
            if (gone.cardinality() == out) {
                throw new BonsaiException("every neuron of layer '" + dense.name() + "' is pruned; lower the target");
            }
            int nextIndex = nextDense(layers, k, spec.name());
            LayerSpec.Dense next = (LayerSpec.Dense) layers.get(nextIndex);
            List<LayerSpec> between = layers.subList(k + 1, nextIndex);
            foldIntoNextBias(dense, next, between, gone, w);
            int[] keep = Slices.complement(gone, out);
            w.put(dense.name() + ".weight", Slices.keep(w.get(dense.name() + ".weight"), 0, keep));
            if (dense.bias()) {
                w.put(dense.name() + ".bias", Slices.keep(w.get(dense.name() + ".bias"), 0, keep));
            }
            m.remove(dense.name() + ".weight");
            w.put(next.name() + ".weight", Slices.keep(w.get(next.name() + ".weight"), 1, keep));
            Mask nextMask = m.get(next.name() + ".weight");
            if (nextMask != null) {
                m.put(next.name() + ".weight", Slices.keep(nextMask, 1, keep));
            }
            layers.set(k, new LayerSpec.Dense(dense.name(), keep.length, dense.bias()));
            removed.put(dense.name(), out - keep.length);
        }
        ModelSpec compact = new ModelSpec(spec.name(), spec.inputShape(), layers);
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        compact.parameters().keySet().forEach(name -> ordered.put(name, w.get(name)));
        Weights result = new Weights(ordered);
        result.checkMatches(compact);
        return new Compacted(compact, result, new MaskSet(m), removed);
    }

    private static int nextDense(List<LayerSpec> layers, int k, String model) {
        for (int j = k + 1; j < layers.size(); j++) {
            LayerSpec layer = layers.get(j);
            if (layer instanceof LayerSpec.Dense) {
                return j;
            }
            if (!(layer instanceof LayerSpec.Activate || layer instanceof LayerSpec.Dropout)) {
                throw new BonsaiException("cannot remove neurons of layer '" + layers.get(k).name() + "': layer '"
                        + layer.name() + "' (" + layer.kind() + ") stands between it and the next dense layer, and "
                        + "only activations and dropout can be carried through");
            }
        }
        throw new BonsaiException("cannot remove neurons of layer '" + layers.get(k).name() + "' of model '" + model
                + "': its outputs are the model's outputs; exclude it from pruning");
    }

    /** next.bias += Σ_removed next.W[:, i]·act(bias_i): what the removed neurons contributed as constants. */
    private static void foldIntoNextBias(LayerSpec.Dense dense, LayerSpec.Dense next, List<LayerSpec> between,
            BitSet gone, Map<String, Tensor> w) {
        float[] nextW = w.get(next.name() + ".weight").data();
        int in = dense.units();
        float[] shift = new float[next.units()];
        boolean any = false;
        for (int i = gone.nextSetBit(0); i >= 0; i = gone.nextSetBit(i + 1)) {
            double c = dense.bias() ? w.get(dense.name() + ".bias").data()[i] : 0;
            for (LayerSpec layer : between) {
                if (layer instanceof LayerSpec.Activate a) {
                    c = Activations.apply(a.function(), c);
                }
            }
            if (c == 0) {
                continue;
            }
            any = true;
            for (int o = 0; o < shift.length; o++) {
                shift[o] += (float) (nextW[o * in + i] * c);
            }
        }
        if (!any) {
            return;
        }
        if (!next.bias()) {
            throw new BonsaiException("cannot remove neurons of layer '" + dense.name() + "': they emit a constant that "
                    + "layer '" + next.name() + "' has no bias to absorb");
        }
        float[] bias = w.get(next.name() + ".bias").data();
        for (int o = 0; o < bias.length; o++) {
            bias[o] += shift[o];
        }
    }
}
