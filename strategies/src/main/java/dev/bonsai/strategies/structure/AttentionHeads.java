package dev.bonsai.strategies.structure;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterRole;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.strategies.selection.MaskSelector;
import java.util.ArrayList;
import java.util.BitSet;
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

    private final Map<String, Layer> layers;

    private AttentionHeads(Map<String, Layer> layers) {
        this.layers = Collections.unmodifiableMap(layers);
    }

    /** The attention layers of {@code spec}, those in transformer blocks and residual branches included. */
    public static AttentionHeads of(ModelSpec spec) {
        Map<String, Layer> layers = new LinkedHashMap<>();
        walk(spec.layers(), spec.inputShape(), layers);
        return new AttentionHeads(layers);
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
     * The masks that prune heads of {@code names} to {@code target}: the fraction of heads removed in each layer
     * ({@link Scope#LAYERWISE}) or over all of them ({@link Scope#GLOBAL}), exactly {@code Math.round(target ×
     * heads)}, ties broken as {@link MaskSelector} breaks them. Heads pruned in {@code current} (all their
     * {@code qkv.weight} rows pruned) stay pruned and count toward the target; every mask of a pruned head's
     * parameters is combined with the one in {@code current}, and other masks are carried over.
     *
     * @param scores one score per element of each layer's {@code qkv.weight} and {@code proj.weight}
     * @throws BonsaiException when a layer is not an attention layer, scores are missing or of the wrong length,
     *                         or the target would remove every head of a layer (naming it)
     */
    public MaskSet select(MaskSelector selector, Scores scores, List<String> names, MaskSet current, double target,
            Scope scope) {
        List<ParameterSpec> units = new ArrayList<>();
        Map<String, float[]> unitScores = new LinkedHashMap<>();
        Map<String, Mask> unitMasks = new LinkedHashMap<>();
        for (String name : names) {
            Layer layer = layer(name);
            String unit = name + ".heads";
            units.add(new ParameterSpec(unit, name, Shape.of(layer.heads()), ParameterRole.WEIGHT, 1));
            unitScores.put(unit, headScores(layer, scores));
            BitSet kept = new BitSet(layer.heads());
            kept.set(0, layer.heads());
            kept.andNot(pruned(layer, current));
            unitMasks.put(unit, new Mask(Shape.of(layer.heads()), kept));
        }
        MaskSet chosen = selector.select(new Scores(unitScores), units, new MaskSet(unitMasks), target, scope,
                new Structure.Unstructured());
        Map<String, Mask> out = new LinkedHashMap<>(current.asMap());
        for (String name : names) {
            Layer layer = layers.get(name);
            Mask heads = chosen.get(name + ".heads").orElseThrow();
            if (heads.keptCount() == 0) {
                throw new BonsaiException("pruning heads to " + target + " (" + scope.name().toLowerCase(
                        java.util.Locale.ROOT) + ") removes all " + layer.heads() + " heads of attention layer '"
                        + name + "', which must keep at least one; lower the target or give the layer its own in "
                        + "prune.overrides");
            }
            int[] keep = keptHeads(heads);
            BitSet rows = toBits(layer.qkvRows(keep));
            BitSet columns = toBits(layer.projColumns(keep));
            put(out, layer.qkvWeight(), rowMask(3 * layer.inner(), layer.width(), rows));
            put(out, layer.qkvBias(), rowMask(3 * layer.inner(), 1, rows));
            put(out, layer.projWeight(), columnMask(layer.width(), layer.inner(), columns));
        }
        return new MaskSet(out);
    }

    /** The heads of {@code layer} whose {@code qkv.weight} rows are all pruned in {@code masks}. */
    static BitSet pruned(Layer layer, MaskSet masks) {
        BitSet gone = new BitSet(layer.heads());
        masks.get(layer.qkvWeight()).ifPresent(mask -> {
            BitSet rows = Slices.prunedRows(mask);
            for (int h = 0; h < layer.heads(); h++) {
                boolean all = true;
                for (int row : layer.qkvRows(new int[] {h})) {
                    all &= rows.get(row);
                }
                if (all) {
                    gone.set(h);
                }
            }
        });
        return gone;
    }

    private Layer layer(String name) {
        Layer layer = layers.get(name);
        if (layer == null) {
            throw new BonsaiException("'" + name + "' is not an attention layer; attention layers: " + layers.keySet());
        }
        return layer;
    }

    /** The mean score of each head's elements of {@code qkv.weight} and {@code proj.weight}. */
    private static float[] headScores(Layer layer, Scores scores) {
        float[] qkv = scoresOf(scores, layer.qkvWeight(), 3 * layer.inner() * layer.width());
        float[] proj = scoresOf(scores, layer.projWeight(), layer.width() * layer.inner());
        float[] out = new float[layer.heads()];
        for (int h = 0; h < layer.heads(); h++) {
            double sum = 0;
            long count = 0;
            for (int row : layer.qkvRows(new int[] {h})) {
                for (int c = 0; c < layer.width(); c++) {
                    sum += qkv[row * layer.width() + c];
                    count++;
                }
            }
            for (int column : layer.projColumns(new int[] {h})) {
                for (int r = 0; r < layer.width(); r++) {
                    sum += proj[r * layer.inner() + column];
                    count++;
                }
            }
            out[h] = (float) (sum / count);
        }
        return out;
    }

    private static float[] scoresOf(Scores scores, String parameter, int size) {
        float[] s = scores.asMap().get(parameter);
        if (s == null) {
            throw new BonsaiException("no scores for parameter '" + parameter + "', which head pruning needs; the "
                    + "strategy scored " + scores.asMap().keySet());
        }
        if (s.length != size) {
            throw new BonsaiException("parameter '" + parameter + "' has " + size + " elements but " + s.length
                    + " scores");
        }
        return s;
    }

    private static int[] keptHeads(Mask heads) {
        return heads.keptBits().stream().toArray();
    }

    private static BitSet toBits(int[] indices) {
        BitSet bits = new BitSet();
        for (int i : indices) {
            bits.set(i);
        }
        return bits;
    }

    /** A {@code [rows, length]} mask (or {@code [rows]} when length is 1) keeping the rows {@code kept}. */
    private static Mask rowMask(int rows, int length, BitSet kept) {
        BitSet bits = new BitSet(rows * length);
        for (int r = kept.nextSetBit(0); r >= 0; r = kept.nextSetBit(r + 1)) {
            bits.set(r * length, (r + 1) * length);
        }
        return new Mask(length == 1 ? Shape.of(rows) : Shape.of(rows, length), bits);
    }

    /** A {@code [rows, columns]} mask keeping the columns {@code kept}. */
    private static Mask columnMask(int rows, int columns, BitSet kept) {
        BitSet bits = new BitSet(rows * columns);
        for (int r = 0; r < rows; r++) {
            for (int c = kept.nextSetBit(0); c >= 0; c = kept.nextSetBit(c + 1)) {
                bits.set(r * columns + c);
            }
        }
        return new Mask(Shape.of(rows, columns), bits);
    }

    private static void put(Map<String, Mask> masks, String name, Mask mask) {
        Mask existing = masks.get(name);
        masks.put(name, existing == null ? mask : existing.and(mask));
    }
}
