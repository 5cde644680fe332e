package dev.bonsai.strategies.selection;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.api.prune.Structure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Turns scores into masks: prunes the lowest-scored elements until a target sparsity is met.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li><b>Target.</b> {@code target} is the fraction of the prunable elements that are pruned afterwards: of
 *       each parameter on its own under {@link Scope#LAYERWISE}, of all prunable parameters together under
 *       {@link Scope#GLOBAL}, of each output row on its own under {@link Scope#ROW} (rows are the first axis). The
 *       number pruned is exactly {@code Math.round(target × count)} (half up), however many scores tie at the
 *       threshold.</li>
 *   <li><b>Earlier masks.</b> Positions pruned in {@code current} stay pruned whatever their score and count
 *       toward the target; only kept positions compete. If more are already pruned than the target asks, none
 *       is revived and none is added. Masks in {@code current} of parameters outside {@code prunable} are
 *       carried over unchanged.</li>
 *   <li><b>Order.</b> Lower scores are pruned first (a score means "importance to keep"). Ties are broken by
 *       parameter position in {@code prunable}, then by element index (row-major), lower first, so the result
 *       never depends on map or hash order. {@code -0.0} and {@code 0.0} are equal; infinities are allowed;
 *       NaN is an error naming the parameter.</li>
 *   <li><b>Global scope compares raw scores across parameters.</b> Scores on different scales (for example
 *       |w| of layers with different fan-in) are not normalised here; a strategy that wants layer-adaptive
 *       comparisons must normalise its own scores, as LAMP does (J. Lee, S. Park, S. Mo, S. Ahn and J. Shin,
 *       "Layer-adaptive Sparsity for the Magnitude-based Pruning", ICLR 2021).</li>
 *   <li><b>N:M</b> ({@link Structure.NOfM}): in every group of m consecutive elements along the input
 *       dimension, the n highest-scored are kept (A. Mishra et al., "Accelerating Sparse Deep Neural
 *       Networks", 2021; A. Zhou et al., "Learning N:M Fine-grained Structured Sparse Neural Networks From
 *       Scratch", ICLR 2021). For a dense weight {@code [out, in]} groups run along {@code in}; for a conv
 *       weight {@code [out, in, kh, kw]} along the flattened {@code in·kh·kw} of each output row; a 1-D
 *       parameter is one row. A row whose length is not a multiple of m ends in a group of g &lt; m elements, which
 *       keeps min(n, g), as if zero-padded to m. {@code target} must equal {@code 1 − n/m}. The scope does not
 *       matter, since every group is constrained on its own. Already pruned positions count toward the group's
 *       pruned; a group with more already pruned keeps fewer than n.</li>
 *   <li><b>Neurons and channels</b> ({@link Structure.Groups} of {@link Structure.Unit#NEURONS} or
 *   {@link Structure.Unit#CHANNELS}): whole output rows (a dense layer's neuron, a conv's filter; channels need
 *   rank-4 conv kernels), scored by the mean of their elements' scores, the target being the fraction of units
 *   removed. The selector masks the rows only. Structured pruning of a model goes through
 *   {@code dev.bonsai.strategies.structure.PruningGroups}, which masks every slice of a unit (a channel's bias and
 *   batch-norm entries, a head's or MLP unit's rows and columns, a whole block), scores each unit and hands the
 *   units to this selector as unstructured scores; given heads, MLP units or blocks directly, the selector throws
 *   a {@link BonsaiException} saying so. Units are whole rows, so {@link Scope#ROW} is refused for them.</li>
 * </ul>
 *
 * <h2>Cost</h2>
 * Unstructured selection is a radix selection on the scores' order-preserving 32-bit keys: three linear passes
 * over the kept elements and a 65,536-entry histogram, no sorting, no boxing and no per-element allocation
 * beyond the result bits. Row scope sorts each row's kept elements: O(count · log(row length)). N:M costs
 * O(count · m).
 *
 * <p>The selector is stateless and thread-safe.
 */
public final class MaskSelector {

    /** Radix digits per pass: the 32-bit key is selected on in two 16-bit passes. */
    private static final int DIGIT_BITS = 16;
    private static final int DIGITS = 1 << DIGIT_BITS;
    private static final double NOFM_TOLERANCE = 1e-9;

    /** Creates a selector; it is stateless. */
    public MaskSelector() {
    }

    /**
     * Selects the masks that meet {@code target}.
     *
     * @param scores    one score per element of every prunable parameter (higher means keep); extra entries
     *                  are ignored
     * @param prunable  the parameters to prune, in model order; this order breaks ties
     * @param current   the masks already in force; their pruned positions stay pruned
     * @param target    the fraction of prunable elements pruned afterwards, in [0, 1]
     * @param scope     layerwise (each parameter meets the target), global (all together) or row (each output
     *                  row on its own)
     * @param structure unstructured, N:M, neurons or channels
     * @return a mask for every prunable parameter, in {@code prunable} order, followed by the masks of
     *         {@code current} for other parameters
     * @throws BonsaiException when scores are missing, of the wrong length or NaN (naming the parameter), when a
     *                         current mask does not fit its parameter, when the target does not match the N:M
     *                         structure, for row scope with neurons or channels, for channels of a weight that is
     *                         not a conv kernel, and for heads, MLP units and blocks (see {@code PruningGroups})
     */
    public MaskSet select(Scores scores, List<ParameterSpec> prunable, MaskSet current, double target, Scope scope,
            Structure structure) {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(prunable, "prunable");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(structure, "structure");
        if (!(target >= 0 && target <= 1)) {
            throw new BonsaiException("the target sparsity must be in [0, 1], got " + target);
        }
        if (structure instanceof Structure.Groups groups && groups.unit() != Structure.Unit.NEURONS
                && groups.unit() != Structure.Unit.CHANNELS) {
            throw new BonsaiException("a unit of structure '" + groups.label() + "' spans slices of several "
                    + "parameters, which the selector alone cannot group; select it with "
                    + "dev.bonsai.strategies.structure.PruningGroups.select");
        }
        if (structure instanceof Structure.NOfM nm) {
            double fixed = 1 - (double) nm.n() / nm.m();
            if (Math.abs(target - fixed) > NOFM_TOLERANCE) {
                throw new BonsaiException("N:M structure " + nm.label() + " fixes the sparsity at 1 − " + nm.n()
                        + "/" + nm.m() + " = " + fixed + ", but the target sparsity is " + target
                        + "; set the sparsity to " + fixed + " or use unstructured pruning");
            }
        }

        if (structure instanceof Structure.Groups groups && scope == Scope.ROW) {
            throw new BonsaiException("scope 'row' compares the weights within each output row, but structure '"
                    + groups.label() + "' removes whole rows; use scope layerwise or global");
        }

        List<Candidate> candidates = candidates(scores, prunable, current);
        if (structure instanceof Structure.Groups groups) {
            selectRows(candidates, target, scope, groups.unit());
        } else if (structure instanceof Structure.NOfM nm) {
            for (Candidate c : candidates) {
                selectNOfM(c, nm);
            }
        } else if (scope == Scope.LAYERWISE) {
            for (Candidate c : candidates) {
                long count = c.size;
                pruneLowest(List.of(c), Math.round(target * count) - (count - c.kept.cardinality()));
            }
        } else if (scope == Scope.ROW) {
            for (Candidate c : candidates) {
                pruneEachRow(c, target);
            }
        } else {
            long count = 0;
            long pruned = 0;
            for (Candidate c : candidates) {
                count += c.size;
                pruned += c.size - c.kept.cardinality();
            }
            pruneLowest(candidates, Math.round(target * count) - pruned);
        }

        Map<String, Mask> out = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            out.put(c.spec.name(), new Mask(c.spec.shape(), c.kept));
        }
        for (Map.Entry<String, Mask> e : current.asMap().entrySet()) {
            out.putIfAbsent(e.getKey(), e.getValue());
        }
        return new MaskSet(out);
    }

    /**
     * Neuron or channel selection: each output row of a weight (a dense layer's neuron, a conv's filter) is one unit,
     * scored by the mean of its elements' scores (so layers of different fan-in compare fairly under global scope)
     * and kept while any of its elements is kept. The target is the fraction of units removed, layerwise or over all
     * layers; a removed unit's whole row is pruned.
     */
    private static void selectRows(List<Candidate> candidates, double target, Scope scope, Structure.Unit unit) {
        List<Candidate> rows = new ArrayList<>();
        for (Candidate c : candidates) {
            if (unit == Structure.Unit.CHANNELS && c.spec.shape().rank() != 4) {
                throw new BonsaiException("channel pruning needs conv kernels [out, in, kh, kw]; '" + c.spec.name()
                        + "' has shape " + c.spec.shape() + "; leave it out of the prunable parameters");
            }
            if (c.spec.shape().rank() < 2) {
                throw new BonsaiException("neuron pruning needs weights with an output dimension; '" + c.spec.name()
                        + "' has shape " + c.spec.shape());
            }
            int out = c.spec.shape().dim(0);
            int length = c.size / out;
            float[] rowScores = new float[out];
            BitSet rowKept = new BitSet(out);
            for (int r = 0; r < out; r++) {
                double sum = 0;
                for (int i = r * length; i < (r + 1) * length; i++) {
                    sum += c.scores[i];
                }
                rowScores[r] = (float) (sum / length);
                int next = c.kept.nextSetBit(r * length);
                if (next >= 0 && next < (r + 1) * length) {
                    rowKept.set(r);
                }
            }
            ParameterSpec neurons = new ParameterSpec(c.spec.name(), c.spec.layer(), Shape.of(out), c.spec.role(), 1);
            rows.add(new Candidate(neurons, rowScores, rowKept, out));
        }
        if (scope == Scope.LAYERWISE) {
            for (Candidate r : rows) {
                pruneLowest(List.of(r), Math.round(target * r.size) - (r.size - r.kept.cardinality()));
            }
        } else {
            long count = 0;
            long pruned = 0;
            for (Candidate r : rows) {
                count += r.size;
                pruned += r.size - r.kept.cardinality();
            }
            pruneLowest(rows, Math.round(target * count) - pruned);
        }
        for (int k = 0; k < candidates.size(); k++) {
            Candidate c = candidates.get(k);
            Candidate r = rows.get(k);
            int length = c.size / r.size;
            for (int row = r.kept.nextClearBit(0); row < r.size; row = r.kept.nextClearBit(row + 1)) {
                c.kept.clear(row * length, (row + 1) * length);
            }
        }
    }

    /** One prunable parameter: its scores and the bits still kept (modified in place by selection). */
    private static final class Candidate {
        final ParameterSpec spec;
        final float[] scores;
        final BitSet kept;
        final int size;

        Candidate(ParameterSpec spec, float[] scores, BitSet kept, int size) {
            this.spec = spec;
            this.scores = scores;
            this.kept = kept;
            this.size = size;
        }
    }

    private static List<Candidate> candidates(Scores scores, List<ParameterSpec> prunable, MaskSet current) {
        List<Candidate> out = new ArrayList<>(prunable.size());
        Set<String> seen = new HashSet<>();
        for (ParameterSpec p : prunable) {
            Objects.requireNonNull(p, "prunable parameter");
            if (!seen.add(p.name())) {
                throw new BonsaiException("parameter '" + p.name() + "' is listed twice among the prunable parameters");
            }
            if (p.size() > Integer.MAX_VALUE) {
                throw new BonsaiException("parameter '" + p.name() + "' has " + p.size()
                        + " elements, more than a mask can hold");
            }
            int size = (int) p.size();
            float[] s = scores.asMap().get(p.name());
            if (s == null) {
                throw new BonsaiException("no scores for parameter '" + p.name() + "'; the strategy scored "
                        + scores.asMap().keySet());
            }
            if (s.length != size) {
                throw new BonsaiException("parameter '" + p.name() + "' of shape " + p.shape() + " has " + size
                        + " elements but " + s.length + " scores");
            }
            int nan = 0;
            int firstNan = -1;
            for (int i = 0; i < s.length; i++) {
                if (Float.isNaN(s[i])) {
                    if (nan++ == 0) {
                        firstNan = i;
                    }
                }
            }
            if (nan > 0) {
                throw new BonsaiException("scores of parameter '" + p.name() + "' contain " + nan
                        + " NaN value(s), the first at element " + firstNan + "; scores must be numbers");
            }
            BitSet kept;
            Optional<Mask> mask = current.get(p.name());
            if (mask.isPresent()) {
                Shape shape = mask.get().shape();
                if (!shape.equals(p.shape())) {
                    throw new BonsaiException("the current mask of parameter '" + p.name() + "' has shape " + shape
                            + " but the parameter has shape " + p.shape());
                }
                kept = mask.get().keptBits();
            } else {
                kept = new BitSet(size);
                kept.set(0, size);
            }
            out.add(new Candidate(p, s, kept, size));
        }
        return out;
    }

    /**
     * A 32-bit key whose unsigned order is the numeric order of the (non-NaN) score, with −0 equal to +0.
     * Positive floats order like their bit patterns, negative ones in reverse; flipping the sign bit of positives
     * and all bits of negatives maps both onto one unsigned scale.
     */
    static int key(float score) {
        int bits = Float.floatToRawIntBits(score == 0f ? 0f : score);
        return bits ^ ((bits >> 31) | 0x8000_0000);
    }

    /**
     * Prunes the {@code need} lowest-keyed kept elements of {@code pool}, ties in pool order then index order.
     * A two-pass radix selection finds the exact key t of the need-th lowest; everything below t is pruned, and
     * of the elements equal to t the first ones in scan order until {@code need} is reached.
     */
    private static void pruneLowest(List<Candidate> pool, long need) {
        if (need <= 0) {
            return;
        }
        long keptTotal = 0;
        for (Candidate c : pool) {
            keptTotal += c.kept.cardinality();
        }
        if (need >= keptTotal) {
            for (Candidate c : pool) {
                c.kept.clear();
            }
            return;
        }
        long[] histogram = new long[DIGITS];
        // pass 1: the high digit of the threshold
        for (Candidate c : pool) {
            float[] s = c.scores;
            BitSet kept = c.kept;
            for (int i = kept.nextSetBit(0); i >= 0; i = kept.nextSetBit(i + 1)) {
                histogram[key(s[i]) >>> DIGIT_BITS]++;
            }
        }
        long below = 0;
        int high = 0;
        while (below + histogram[high] < need) {
            below += histogram[high];
            high++;
        }
        // pass 2: the low digit, among the elements whose high digit is `high`
        Arrays.fill(histogram, 0);
        for (Candidate c : pool) {
            float[] s = c.scores;
            BitSet kept = c.kept;
            for (int i = kept.nextSetBit(0); i >= 0; i = kept.nextSetBit(i + 1)) {
                int k = key(s[i]);
                if (k >>> DIGIT_BITS == high) {
                    histogram[k & (DIGITS - 1)]++;
                }
            }
        }
        int low = 0;
        while (below + histogram[low] < need) {
            below += histogram[low];
            low++;
        }
        int threshold = (high << DIGIT_BITS) | low;
        long equalToPrune = need - below;
        // pass 3: prune everything below the threshold and the first ties at it, in scan order
        for (Candidate c : pool) {
            float[] s = c.scores;
            BitSet kept = c.kept;
            for (int i = kept.nextSetBit(0); i >= 0; i = kept.nextSetBit(i + 1)) {
                int k = key(s[i]);
                int cmp = Integer.compareUnsigned(k, threshold);
                if (cmp < 0) {
                    kept.clear(i);
                } else if (cmp == 0 && equalToPrune > 0) {
                    kept.clear(i);
                    equalToPrune--;
                }
            }
        }
    }

    /**
     * Row scope: each row (rows are the first axis; a 1-D parameter is one row) loses the {@code Math.round(target ×
     * length)} lowest-scored of its elements, earlier pruned ones counting, ties by lower index. Each row's kept
     * elements are sorted as one long each: the order-preserving key with its sign bit flipped (so that signed order
     * is the keys' unsigned order) in the high half, the index in the row in the low half.
     */
    private static void pruneEachRow(Candidate c, double target) {
        Shape shape = c.spec.shape();
        int rows = shape.rank() >= 2 ? shape.dim(0) : 1;
        int length = c.size / rows;
        long count = Math.round(target * length);
        long[] order = new long[length];
        for (int r = 0; r < rows; r++) {
            int from = r * length;
            int live = 0;
            for (int i = c.kept.nextSetBit(from); i >= 0 && i < from + length; i = c.kept.nextSetBit(i + 1)) {
                order[live++] = ((long) (key(c.scores[i]) ^ Integer.MIN_VALUE) << 32) | (i - from);
            }
            long need = count - (length - live);
            if (need <= 0) {
                continue;
            }
            Arrays.sort(order, 0, live);
            for (int j = 0; j < need; j++) {
                c.kept.clear(from + (int) order[j]);
            }
        }
    }

    /**
     * Keeps the n highest of every m consecutive elements of each row; rows are the first axis. A trailing group of
     * g &lt; m elements keeps min(n, g).
     */
    private static void selectNOfM(Candidate c, Structure.NOfM nm) {
        int n = nm.n();
        int m = nm.m();
        Shape shape = c.spec.shape();
        int rows = shape.rank() >= 2 ? shape.dim(0) : 1;
        int rowLength = c.size / rows;
        float[] s = c.scores;
        BitSet kept = c.kept;
        int[] index = new int[m];
        int[] keys = new int[m];
        for (int start = 0, end; start < c.size; start = end) {
            end = Math.min(start + m, (start / rowLength + 1) * rowLength);
            int live = 0;
            for (int i = start; i < end; i++) {
                if (kept.get(i)) {
                    index[live] = i;
                    keys[live] = key(s[i]);
                    live++;
                }
            }
            int toPrune = live - Math.min(n, end - start);
            // partial selection sort: the lowest key first, the lower index among equal keys
            for (int j = 0; j < toPrune; j++) {
                int min = j;
                for (int t = j + 1; t < live; t++) {
                    int cmp = Integer.compareUnsigned(keys[t], keys[min]);
                    if (cmp < 0 || (cmp == 0 && index[t] < index[min])) {
                        min = t;
                    }
                }
                int ti = index[min];
                index[min] = index[j];
                index[j] = ti;
                int tk = keys[min];
                keys[min] = keys[j];
                keys[j] = tk;
                kept.clear(ti);
            }
        }
    }
}
