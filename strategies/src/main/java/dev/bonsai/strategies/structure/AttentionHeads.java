package dev.bonsai.strategies.structure;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.strategies.selection.MaskSelector;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attention heads of a model and their selection: which elements of which parameters make up a head, how a
 * head is scored, and the masks that remove it.
 *
 * <p>Head h of an attention layer with inner width {@code I} and head width {@code d} is rows {@code b·I + h·d …
 * b·I + (h+1)·d − 1} of {@code qkv.weight} and {@code qkv.bias} for the query, key and value blocks b = 0, 1, 2
 * (the layout every engine splits the fused projection by), and columns {@code h·d … (h+1)·d − 1} of
 * {@code proj.weight}. A head is scored by the mean of its elements' scores over its rows of {@code qkv.weight}
 * and its columns of {@code proj.weight}; masking those elements and its {@code qkv.bias} rows makes its values
 * zero, so it adds exactly 0 to the output projection and {@link HeadCompaction} can remove it without changing
 * the model's outputs.
 */
public final class AttentionHeads {

    /**
     * One attention layer.
     *
     * @param attention the layer (for a transformer block, its {@code .attn} sub-layer)
     * @param width     the model width D at the layer
     * @param headDim   the width of one head
     */
    public record Layer(LayerSpec.CausalSelfAttention attention, int width, int headDim) {
        /** The layer's name, which its parameters carry as their layer. */
        public String name() {
            return attention.name();
        }

        /** The number of heads. */
        public int heads() {
            return attention.heads();
        }

        /** The inner width, heads × head width. */
        public int inner() {
            return heads() * headDim;
        }

        /** The fused query/key/value weight {@code [3I, D]}. */
        public String qkvWeight() {
            return name() + ".qkv.weight";
        }

        /** The fused query/key/value bias {@code [3I]}. */
        public String qkvBias() {
            return name() + ".qkv.bias";
        }

        /** The output projection's weight {@code [D, I]}. */
        public String projWeight() {
            return name() + ".proj.weight";
        }

        /** The rows of {@code qkv.weight} (and entries of {@code qkv.bias}) of the heads {@code keep}, ascending. */
        int[] qkvRows(int[] keep) {
            int[] rows = new int[3 * keep.length * headDim];
            int j = 0;
            for (int block = 0; block < 3; block++) {
                for (int h : keep) {
                    for (int i = 0; i < headDim; i++) {
                        rows[j++] = block * inner() + h * headDim + i;
                    }
                }
            }
            return rows;
        }

        /** The columns of {@code proj.weight} of the heads {@code keep}, ascending. */
        int[] projColumns(int[] keep) {
            int[] columns = new int[keep.length * headDim];
            for (int k = 0; k < keep.length; k++) {
                for (int i = 0; i < headDim; i++) {
                    columns[k * headDim + i] = keep[k] * headDim + i;
                }
            }
            return columns;
        }
    }

    private final ModelSpec spec;
    private final Map<String, Layer> layers;

    private AttentionHeads(ModelSpec spec, Map<String, Layer> layers) {
        this.spec = spec;
        this.layers = Collections.unmodifiableMap(layers);
    }

    /** The attention layers of {@code spec}, those in transformer blocks and residual branches included. */
    public static AttentionHeads of(ModelSpec spec) {
        Map<String, Layer> layers = new LinkedHashMap<>();
        walk(spec.layers(), spec.inputShape(), layers);
        return new AttentionHeads(spec, layers);
    }

    private static void walk(List<LayerSpec> list, Shape input, Map<String, Layer> out) {
        Shape shape = input;
        for (LayerSpec layer : list) {
            if (layer instanceof LayerSpec.CausalSelfAttention a) {
                add(a, shape, out);
            } else if (layer instanceof LayerSpec.TransformerBlock b) {
                add(b.attention(), shape, out);
            } else if (layer instanceof LayerSpec.Residual r) {
                walk(r.body(), shape, out);
            }
            shape = layer.outputShape(shape);
        }
    }

    private static void add(LayerSpec.CausalSelfAttention a, Shape input, Map<String, Layer> out) {
        int width = input.dim(1);
        out.put(a.name(), new Layer(a, width, a.innerWidth(width) / a.heads()));
    }

    /** The attention layers by name, in model order. */
    public Map<String, Layer> layers() {
        return layers;
    }

    /**
     * The masks that prune heads of {@code names} to {@code target}: the heads' pruning groups selected by
     * {@link PruningGroups#select} (exactly {@code Math.round(target × heads)} removed, of each layer or of all,
     * ties broken as {@link MaskSelector} breaks them, pruned heads staying pruned, at least one head kept per layer).
     *
     * @param scores one score per element of each layer's {@code qkv.weight} and {@code proj.weight}
     * @throws BonsaiException when a layer is not an attention layer, scores are missing or of the wrong length,
     *                         or the target would remove every head of a layer (naming it)
     */
    public MaskSet select(MaskSelector selector, Scores scores, List<String> names, MaskSet current, double target,
            Scope scope) {
        return PruningGroups.of(spec, Structure.Unit.HEADS).select(selector, scores, names, current, target, scope);
    }
}
