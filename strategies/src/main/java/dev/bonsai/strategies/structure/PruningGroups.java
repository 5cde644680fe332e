package dev.bonsai.strategies.structure;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterRole;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.strategies.selection.MaskSelector;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Structured pruning over pruning groups, the same for every {@link GroupKind}: scoring a group, selecting groups
 * under a scope and target, the minimum kept per layer, masking, and compaction.
 *
 * <ul>
 *   <li><b>Score.</b> A group's score is the mean of its scored elements' scores (the sum for kinds that
 *       {@linkplain GroupKind#summed() sum}), read slice by slice in order. A strategy may score groups directly:
 *       a score vector named {@code <layer>.<structure>} (for example {@code block2.blocks}, one score, or
 *       {@code block1.attn.heads}, one per head) with one score per group of the layer is used as it is.</li>
 *   <li><b>Select.</b> The groups of each layer form one unit vector, selected by {@link MaskSelector} as
 *       unstructured scores: exactly {@code Math.round(target × groups)} removed, of each layer
 *       ({@link Scope#LAYERWISE}) or of all layers together ({@link Scope#GLOBAL}; always for
 *       {@linkplain GroupKind#pooled() pooled} kinds), lowest score first, ties by layer order then index. Groups
 *       pruned in the current masks (every element of their marker slices pruned) stay pruned and count toward
 *       the target.</li>
 *   <li><b>Minimum.</b> Every layer keeps at least one group (pooled kinds: the model keeps one); a selection that
 *       would remove them all is refused naming the layer.</li>
 *   <li><b>Mask.</b> A pruned group's masked slices are pruned, combined with the masks already there; the masked
 *       model then computes what the compacted one will.</li>
 *   <li><b>Compact.</b> Every pruned group's removed slices are deleted (weights and masks sliced alike), each
 *       layer that lost units is rewritten by its kind, and the weights are checked against the new spec.</li>
 * </ul>
 */
public final class PruningGroups {

    private final ModelSpec spec;
    private final GroupKind kind;
    private final GroupLayout layout;

    private PruningGroups(ModelSpec spec, GroupKind kind, GroupLayout layout) {
        this.spec = spec;
        this.kind = kind;
        this.layout = layout;
    }

    /** The groups of {@code kind} in {@code spec}. */
    public static PruningGroups of(ModelSpec spec, GroupKind kind) {
        return new PruningGroups(spec, kind, kind.layout(spec));
    }

    /** The groups of the structure {@code unit} in {@code spec}. */
    public static PruningGroups of(ModelSpec spec, Structure.Unit unit) {
        return of(spec, GroupKinds.of(unit));
    }

    /** The kind of these groups. */
    public GroupKind kind() {
        return kind;
    }

    /** The model. */
    public ModelSpec spec() {
        return spec;
    }

    /** The groups of each layer whose units can be pruned, by layer name, in model order. */
    public Map<String, List<PruningGroup>> layers() {
        return layout.layers();
    }

    /** The layers of this kind whose units cannot be pruned, with the reason. */
    public Map<String, String> excluded() {
        return layout.excluded();
    }

    /** The parameters that {@code layer}'s groups are scored on, in the spec's order. */
    public List<String> scoredParameters(String layer) {
        Set<String> names = new LinkedHashSet<>();
        for (PruningGroup g : groupsOf(layer)) {
            g.scored().forEach(s -> names.add(s.parameter()));
        }
        return spec.parameters().keySet().stream().filter(names::contains).toList();
    }

    /** The groups of {@code layer}, or an error naming the layers there are. */
    public List<PruningGroup> groupsOf(String layer) {
        List<PruningGroup> groups = layout.layers().get(layer);
        if (groups == null) {
            String why = layout.excluded().get(layer);
            throw new BonsaiException("'" + layer + "' is not " + article(kind.layerName()) + " whose "
                    + kind.unitName() + "s can be pruned" + (why == null ? "" : " (" + why + ")") + "; "
                    + kind.layerName() + "s: " + layout.layers().keySet());
        }
        return groups;
    }

    /**
     * The masks that prune the groups of {@code names} to {@code target}, as the class comment says; masks of
     * parameters outside these groups are carried over.
     *
     * @param scores one score per element of the groups' scored parameters, or one per group (see the class comment)
     * @throws BonsaiException when a layer has no groups of this kind, scores are missing, of the wrong length or
     *                         NaN, or the target would remove every group of a layer (naming it)
     */
    public MaskSet select(MaskSelector selector, Scores scores, List<String> names, MaskSet current, double target,
            Scope scope) {
        List<ParameterSpec> units = new ArrayList<>();
        Map<String, float[]> unitScores = new LinkedHashMap<>();
        Map<String, Mask> unitMasks = new LinkedHashMap<>();
        List<List<PruningGroup>> pools = new ArrayList<>();
        for (String name : names) {
            List<PruningGroup> groups = groupsOf(name);
            if (kind.pooled() && !pools.isEmpty()) {
                pools.get(0).addAll(groups);
            } else {
                pools.add(new ArrayList<>(groups));
            }
        }
        float[][] poolScores = new float[pools.size()][];
        for (int p = 0; p < pools.size(); p++) {
            List<PruningGroup> pool = pools.get(p);
            String unit = pool.get(0).layer() + "." + kind.name();
            if (kind.pooled()) {
                unit = kind.name();
            }
            units.add(new ParameterSpec(unit, pool.get(0).layer(), Shape.of(pool.size()), ParameterRole.WEIGHT, 1));
            poolScores[p] = scores(pool, scores);
            unitScores.put(unit, poolScores[p]);
            BitSet kept = new BitSet(pool.size());
            kept.set(0, pool.size());
            for (int g = 0; g < pool.size(); g++) {
                if (isPruned(pool.get(g), current)) {
                    kept.clear(g);
                }
            }
            unitMasks.put(unit, new Mask(Shape.of(pool.size()), kept));
        }
        MaskSet chosen = selector.select(new Scores(unitScores), units, new MaskSet(unitMasks), target,
                kind.pooled() ? Scope.GLOBAL : scope, new Structure.Unstructured());
        Map<String, Mask> out = new LinkedHashMap<>(current.asMap());
        for (int p = 0; p < pools.size(); p++) {
            List<PruningGroup> pool = pools.get(p);
            Mask kept = chosen.get(units.get(p).name()).orElseThrow();
            if (kept.keptCount() == 0) {
                String where = kind.pooled() ? "model '" + spec.name() + "'"
                        : kind.layerName() + " '" + pool.get(0).layer() + "'";
                throw new BonsaiException("every " + kind.unitName() + " of " + where + " is pruned by target "
                        + target + " (" + scope.name().toLowerCase(Locale.ROOT) + "), which removes all "
                        + pool.size() + " of them, but it must keep at least one; lower the target"
                        + (kind.pooled() ? "" : " or give the layer its own in prune.overrides"));
            }
            mask(pool, kept.keptBits(), out);
        }
        return new MaskSet(out);
    }

    /** Masks the masked slices of the groups of {@code pool} not in {@code kept}, combined with {@code out}'s. */
    private void mask(List<PruningGroup> pool, BitSet kept, Map<String, Mask> out) {
        Map<String, BitSet> bits = new LinkedHashMap<>();
        for (PruningGroup g : pool) {
            for (Slice s : g.scored()) {
                bits.computeIfAbsent(s.parameter(), this::allKept);
            }
        }
        for (int g = kept.nextClearBit(0); g < pool.size(); g = kept.nextClearBit(g + 1)) {
            for (Slice s : pool.get(g).masked()) {
                BitSet b = bits.computeIfAbsent(s.parameter(), this::allKept);
                s.forEachElement(dims(s.parameter()), b::clear);
            }
        }
        bits.forEach((name, b) -> {
            Mask mask = new Mask(spec.parameter(name).shape(), b);
            Mask existing = out.get(name);
            if (existing != null && !existing.shape().equals(mask.shape())) {
                throw new BonsaiException("the current mask of parameter '" + name + "' has shape "
                        + existing.shape() + " but the parameter has shape " + mask.shape());
            }
            out.put(name, existing == null ? mask : existing.and(mask));
        });
    }

    private BitSet allKept(String parameter) {
        BitSet b = new BitSet();
        b.set(0, Math.toIntExact(spec.parameter(parameter).size()));
        return b;
    }

    private int[] dims(String parameter) {
        return spec.parameter(parameter).shape().dims();
    }

    /** One score per group of {@code pool}: given directly by the strategy, or aggregated from its elements. */
    private float[] scores(List<PruningGroup> pool, Scores scores) {
        float[] out = new float[pool.size()];
        int from = 0;
        while (from < pool.size()) {
            String layer = pool.get(from).layer();
            int to = from;
            while (to < pool.size() && pool.get(to).layer().equals(layer)) {
                to++;
            }
            float[] direct = scores.asMap().get(layer + "." + kind.name());
            if (direct != null) {
                if (direct.length != to - from) {
                    throw new BonsaiException("the strategy scored " + direct.length + " " + kind.name() + " of '"
                            + layer + "', which has " + (to - from) + "; score one per " + kind.unitName());
                }
                System.arraycopy(direct, 0, out, from, direct.length);
            } else {
                for (int g = from; g < to; g++) {
                    out[g] = score(pool.get(g), scores);
                }
            }
            from = to;
        }
        return out;
    }

    private float score(PruningGroup group, Scores scores) {
        double[] sum = {0};
        long[] count = {0};
        for (Slice s : group.scored()) {
            float[] values = scoresOf(scores, s.parameter());
            s.forEachElement(dims(s.parameter()), i -> {
                sum[0] += values[i];
                count[0]++;
            });
        }
        return (float) (kind.summed() ? sum[0] : sum[0] / count[0]);
    }

    private float[] scoresOf(Scores scores, String parameter) {
        float[] s = scores.asMap().get(parameter);
        long size = spec.parameter(parameter).size();
        if (s == null) {
            throw new BonsaiException("no scores for parameter '" + parameter + "', which pruning " + kind.name()
                    + " needs; the strategy scored " + scores.asMap().keySet());
        }
        if (s.length != size) {
            throw new BonsaiException("parameter '" + parameter + "' has " + size + " elements but " + s.length
                    + " scores");
        }
        for (int i = 0; i < s.length; i++) {
            if (Float.isNaN(s[i])) {
                throw new BonsaiException("scores of parameter '" + parameter + "' contain NaN, the first at element "
                        + i + "; scores must be numbers");
            }
        }
        return s;
    }

    /** Whether every element of {@code group}'s marker slices is pruned in {@code masks}. */
    public boolean isPruned(PruningGroup group, MaskSet masks) {
        for (Slice s : group.marker()) {
            Optional<Mask> mask = masks.get(s.parameter());
            if (mask.isEmpty()) {
                return false;
            }
            Mask m = mask.get();
            boolean[] all = {true};
            s.forEachElement(m.shape().dims(), i -> all[0] &= !m.kept(i));
            if (!all[0]) {
                return false;
            }
        }
        return true;
    }

    /** The indices of {@code layer}'s groups that are pruned in {@code masks}. */
    public BitSet pruned(String layer, MaskSet masks) {
        List<PruningGroup> groups = groupsOf(layer);
        BitSet gone = new BitSet(groups.size());
        for (int g = 0; g < groups.size(); g++) {
            if (isPruned(groups.get(g), masks)) {
                gone.set(g);
            }
        }
        return gone;
    }

    /**
     * Removes every pruned group (see {@link #isPruned}) from the model: slices the weights and masks, rewrites the
     * layers that lost units, and drops the masks of parameters that are gone and those that prune nothing.
     *
     * @throws BonsaiException when every group of a layer (of a pooled kind: of the model) is pruned, when removing a
     *                         pruned group would change the outputs, or when its layer's removal is refused
     */
    public Compacted compact(Weights weights, MaskSet masks) {
        Map<String, Tensor> w = new LinkedHashMap<>(weights.copy().asMap());
        Map<String, Mask> m = new LinkedHashMap<>(masks.asMap());
        Map<String, Integer> removed = new LinkedHashMap<>();
        Map<String, Integer> kept = new LinkedHashMap<>();
        int total = 0;
        int totalGone = 0;
        for (Map.Entry<String, List<PruningGroup>> e : layout.layers().entrySet()) {
            String layer = e.getKey();
            List<PruningGroup> groups = e.getValue();
            BitSet gone = pruned(layer, masks);
            total += groups.size();
            totalGone += gone.cardinality();
            if (gone.isEmpty()) {
                continue;
            }
            if (layout.refused().containsKey(layer)) {
                throw new BonsaiException(layout.refused().get(layer));
            }
            if (!kind.pooled() && gone.cardinality() == groups.size()) {
                throw new BonsaiException("every " + kind.unitName() + " of " + kind.layerName() + " '" + layer
                        + "' is pruned; lower the target or exclude the layer");
            }
            kind.prepareRemoval(spec, layer, groups, gone, w);
            removeSlices(groups, gone, w, m);
            removed.put(layer, gone.cardinality());
            kept.put(layer, groups.size() - gone.cardinality());
        }
        if (kind.pooled() && total > 0 && totalGone == total) {
            throw new BonsaiException("every " + kind.unitName() + " of model '" + spec.name() + "' is pruned; lower "
                    + "the target");
        }
        ModelSpec compact = new ModelSpec(spec.name(), spec.inputShape(), rewrite(spec.layers(), kept));
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        compact.parameters().keySet().forEach(name -> ordered.put(name, w.get(name)));
        Weights result = new Weights(ordered);
        result.checkMatches(compact);
        m.keySet().retainAll(compact.parameters().keySet());
        m.values().removeIf(mask -> mask.prunedCount() == 0);
        return new Compacted(compact, result, new MaskSet(m), removed);
    }

    /** Deletes the removed slices of the groups {@code gone} from every parameter (and mask) they touch. */
    private static void removeSlices(List<PruningGroup> groups, BitSet gone, Map<String, Tensor> w,
            Map<String, Mask> m) {
        Map<String, Map<Integer, BitSet>> drop = new LinkedHashMap<>();
        for (int g = gone.nextSetBit(0); g >= 0; g = gone.nextSetBit(g + 1)) {
            for (Slice s : groups.get(g).removed()) {
                BitSet bits = drop.computeIfAbsent(s.parameter(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(s.axis(), k -> new BitSet());
                for (int i : s.rawIndices()) {
                    bits.set(i);
                }
            }
        }
        drop.forEach((parameter, axes) -> axes.forEach((axis, bits) -> Slices.keepIn(w, m, parameter, axis,
                Slices.complement(bits, w.get(parameter).shape().dim(axis)))));
    }

    /** {@code layers} as the kind rewrites them, residual branches included. */
    private List<LayerSpec> rewrite(List<LayerSpec> layers, Map<String, Integer> kept) {
        List<LayerSpec> out = new ArrayList<>(layers.size());
        for (LayerSpec layer : layers) {
            Optional<List<LayerSpec>> replaced = kept.isEmpty() ? Optional.empty()
                    : kind.rewrite(spec, layer, kept);
            if (replaced.isPresent()) {
                out.addAll(replaced.get());
            } else if (layer instanceof LayerSpec.Residual r) {
                out.add(new LayerSpec.Residual(r.name(), rewrite(r.body(), kept)));
            } else {
                out.add(layer);
            }
        }
        return out;
    }

    private static String article(String noun) {
        return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }
}
