package dev.bonsai.strategies.structure;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.prune.Structure;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Neurons of the model's own dense layers (not those inside blocks or residual branches): neuron i is row i of the
 * weight, scored and masked alone; removing it also deletes its bias entry and the next dense layer's input column i.
 *
 * <p>A removed neuron still emitted the constant act(bias) in the masked model; that constant times the next layer's
 * column is folded into the next layer's bias, so the compacted model computes exactly what the masked one did (in
 * evaluation mode). Between the two dense layers only activations and dropout may stand; for a layer with anything
 * else there, or whose outputs are the model's, removal is refused naming the layer.
 */
final class NeuronGroups implements GroupKind {

    @Override
    public Structure.Unit unit() {
        return Structure.Unit.NEURONS;
    }

    @Override
    public boolean refusesEmptyingTargetsBeforeRun() {
        return false;
    }

    @Override
    public String unitName() {
        return "neuron";
    }

    @Override
    public String layerName() {
        return "layer";
    }

    @Override
    public String description() {
        return "output neurons of dense layers";
    }

    @Override
    public GroupLayout layout(ModelSpec spec) {
        List<LayerSpec> layers = spec.layers();
        Map<String, List<PruningGroup>> out = new LinkedHashMap<>();
        Map<String, String> refused = new LinkedHashMap<>();
        for (int k = 0; k < layers.size(); k++) {
            if (!(layers.get(k) instanceof LayerSpec.Dense dense)) {
                continue;
            }
            Optional<LayerSpec.Dense> next = Optional.empty();
            try {
                next = Optional.of((LayerSpec.Dense) layers.get(nextDense(layers, k, spec.name())));
            } catch (BonsaiException e) {
                refused.put(dense.name(), e.getMessage());
            }
            List<PruningGroup> groups = new ArrayList<>(dense.units());
            String weight = dense.name() + ".weight";
            for (int i = 0; i < dense.units(); i++) {
                Slice row = Slice.of(weight, 0, i);
                List<Slice> removed = new ArrayList<>(List.of(row));
                if (dense.bias()) {
                    removed.add(Slice.of(dense.name() + ".bias", 0, i));
                }
                int unit = i;
                next.ifPresent(n -> removed.add(Slice.of(n.name() + ".weight", 1, unit)));
                groups.add(new PruningGroup(dense.name(), i, List.of(row), List.of(row), List.of(row), removed));
            }
            out.put(dense.name(), groups);
        }
        return new GroupLayout(out, Map.of(), refused);
    }

    @Override
    public void prepareRemoval(ModelSpec spec, String layer, List<PruningGroup> groups, BitSet gone,
            Map<String, Tensor> w) {
        List<LayerSpec> layers = spec.layers();
        int k = 0;
        while (!layers.get(k).name().equals(layer)) {
            k++;
        }
        int nextIndex = nextDense(layers, k, spec.name());
        foldIntoNextBias((LayerSpec.Dense) layers.get(k), (LayerSpec.Dense) layers.get(nextIndex),
                layers.subList(k + 1, nextIndex), gone, w);
    }

    @Override
    public Optional<List<LayerSpec>> rewrite(ModelSpec spec, LayerSpec layer, Map<String, Integer> kept) {
        if (layer instanceof LayerSpec.Dense d && kept.containsKey(d.name())) {
            return Optional.of(List.of(new LayerSpec.Dense(d.name(), kept.get(d.name()), d.bias())));
        }
        return Optional.empty();
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
            throw new BonsaiException("cannot remove neurons of layer '" + dense.name() + "': they emit a constant "
                    + "that layer '" + next.name() + "' has no bias to absorb");
        }
        float[] bias = w.get(next.name() + ".bias").data();
        for (int o = 0; o < bias.length; o++) {
            bias[o] += shift[o];
        }
    }
}
