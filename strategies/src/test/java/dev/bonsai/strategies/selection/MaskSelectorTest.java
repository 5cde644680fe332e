package dev.bonsai.strategies.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.ParameterRole;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.api.prune.Structure;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskSelectorTest {

    private static final Structure UNSTRUCTURED = new Structure.Unstructured();
    private final MaskSelector selector = new MaskSelector();

    private static ParameterSpec weight(String name, int... dims) {
        Shape shape = Shape.of(dims);
        return new ParameterSpec(name, name.substring(0, name.indexOf('.')), shape, ParameterRole.WEIGHT,
                (int) (shape.size() / dims[0]));
    }

    private static float[] randomScores(Random random, int n, float scale) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = scale * (0.5f + random.nextFloat());
        }
        return s;
    }

    private static Scores scores(List<ParameterSpec> params, float[]... values) {
        Map<String, float[]> map = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            map.put(params.get(i).name(), values[i]);
        }
        return new Scores(map);
    }

    private static BitSet pruned(MaskSet masks, String name) {
        Mask mask = masks.get(name).orElseThrow();
        BitSet p = mask.keptBits();
        p.flip(0, mask.size());
        return p;
    }

    /** Element (parameter, index) with its score, for the boxed reference implementation. */
    private record Element(int param, int index, float score) {
    }

    /**
     * Reference selection, written independently of the selector: sort every kept element by (score, parameter,
     * index) with boxed objects and prune the first ones until round(target × count) are pruned.
     */
    private static Map<String, BitSet> referencePrune(List<ParameterSpec> params, List<float[]> values,
            Map<String, BitSet> alreadyPruned, double target, Scope scope) {
        Map<String, BitSet> out = new LinkedHashMap<>();
        List<List<Integer>> pools = new ArrayList<>();
        if (scope == Scope.GLOBAL) {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < params.size(); i++) {
                all.add(i);
            }
            pools.add(all);
        } else {
            for (int i = 0; i < params.size(); i++) {
                pools.add(List.of(i));
            }
        }
        for (ParameterSpec p : params) {
            out.put(p.name(), (BitSet) alreadyPruned.getOrDefault(p.name(), new BitSet()).clone());
        }
        for (List<Integer> pool : pools) {
            long count = 0;
            long done = 0;
            List<Element> candidates = new ArrayList<>();
            for (int pi : pool) {
                ParameterSpec p = params.get(pi);
                count += p.size();
                BitSet already = out.get(p.name());
                done += already.cardinality();
                for (int i = 0; i < p.size(); i++) {
                    if (!already.get(i)) {
                        candidates.add(new Element(pi, i, values.get(pi)[i]));
                    }
                }
            }
            candidates.sort(Comparator.comparingDouble((Element e) -> e.score() == 0f ? 0.0 : e.score())
                    .thenComparingInt(Element::param).thenComparingInt(Element::index));
            long need = Math.round(target * count) - done;
            for (int k = 0; k < need; k++) {
                Element e = candidates.get(k);
                out.get(params.get(e.param()).name()).set(e.index());
            }
        }
        return out;
    }

    @Test
    void globalAndLayerwiseDifferAsExpectedOnLayersOfDifferentScales() {
        Random random = new Random(11);
        ParameterSpec small = weight("small.weight", 8, 16);
        ParameterSpec large = weight("large.weight", 8, 16);
        List<ParameterSpec> params = List.of(small, large);
        float[] s = randomScores(random, 128, 1f);
        float[] l = randomScores(random, 128, 100f);
        Scores scores = scores(params, s, l);

        MaskSet global = selector.select(scores, params, MaskSet.empty(), 0.5, Scope.GLOBAL, UNSTRUCTURED);
        MaskSet layerwise = selector.select(scores, params, MaskSet.empty(), 0.5, Scope.LAYERWISE, UNSTRUCTURED);

        // global: all 128 pruned weights come from the small-scale layer
        assertThat(global.get("small.weight").orElseThrow().prunedCount()).isEqualTo(128);
        assertThat(global.get("large.weight").orElseThrow().prunedCount()).isZero();
        // layerwise: half of each, and exactly the lower half of each layer's scores
        for (int p = 0; p < 2; p++) {
            float[] values = p == 0 ? s : l;
            String name = params.get(p).name();
            float[] sorted = values.clone();
            java.util.Arrays.sort(sorted);
            float median = sorted[63];
            BitSet expected = new BitSet();
            for (int i = 0; i < 128; i++) {
                if (values[i] <= median) {
                    expected.set(i);
                }
            }
            assertThat(expected.cardinality()).isEqualTo(64); // the scores are distinct
            assertThat(pruned(layerwise, name)).isEqualTo(expected);
        }
        assertThat(global.sparsity()).isEqualTo(0.5);
        assertThat(layerwise.sparsity()).isEqualTo(0.5);
    }

    @Test
    void alreadyPrunedPositionsStayPrunedAndCountTowardTheTarget() {
        ParameterSpec p = weight("fc.weight", 3, 4);
        float[] s = {9, 1, 8, 2, 7, 3, 6, 4, 5, 10, 11, 12};
        BitSet kept = new BitSet();
        kept.set(0, 12);
        kept.clear(9);  // score 10: pruned earlier although it scores high
        kept.clear(10); // score 11
        MaskSet current = new MaskSet(Map.of(p.name(), new Mask(p.shape(), kept)));

        // round(0.45 × 12) = round(5.4) = 5 pruned in all: the 2 already pruned + the 3 lowest of the rest
        MaskSet masks = selector.select(scores(List.of(p), s), List.of(p), current, 0.45, Scope.LAYERWISE,
                UNSTRUCTURED);

        BitSet expected = new BitSet();
        expected.set(9);
        expected.set(10);
        expected.set(1); // 1
        expected.set(3); // 2
        expected.set(5); // 3
        assertThat(pruned(masks, p.name())).isEqualTo(expected);
        assertThat(masks.prunedCount()).isEqualTo(Math.round(0.45 * 12));
    }

    @Test
    void moreAlreadyPrunedThanTheTargetRevivesNothing() {
        ParameterSpec p = weight("fc.weight", 2, 2);
        BitSet kept = new BitSet();
        kept.set(3);
        MaskSet current = new MaskSet(Map.of(p.name(), new Mask(p.shape(), kept)));

        MaskSet masks = selector.select(scores(List.of(p), new float[] {4, 3, 2, 1}), List.of(p), current, 0.5,
                Scope.GLOBAL, UNSTRUCTURED);

        assertThat(masks.get(p.name()).orElseThrow().keptBits()).isEqualTo(kept);
    }

    @Test
    void matchesAnIndependentReferenceWithTiesAndEarlierMasks() {
        Random random = new Random(5);
        List<ParameterSpec> params = List.of(weight("a.weight", 7, 13), weight("b.weight", 5, 3),
                weight("c.weight", 4, 2, 3, 3), weight("d.weight", 1, 1));
        for (int trial = 0; trial < 60; trial++) {
            List<float[]> values = new ArrayList<>();
            Map<String, Mask> current = new LinkedHashMap<>();
            Map<String, BitSet> alreadyPruned = new HashMap<>();
            for (ParameterSpec p : params) {
                float[] v = new float[(int) p.size()];
                for (int i = 0; i < v.length; i++) {
                    // few distinct values → many ties; signed zeros and negatives included
                    int r = random.nextInt(7) - 3;
                    v[i] = r == 0 ? (random.nextBoolean() ? -0f : 0f) : r * 0.5f;
                }
                values.add(v);
                BitSet gone = new BitSet();
                for (int i = 0; i < v.length; i++) {
                    if (random.nextInt(5) == 0) {
                        gone.set(i);
                    }
                }
                alreadyPruned.put(p.name(), gone);
                BitSet kept = (BitSet) gone.clone();
                kept.flip(0, v.length);
                current.put(p.name(), new Mask(p.shape(), kept));
            }
            double target = 0.2 + 0.75 * random.nextDouble();
            for (Scope scope : List.of(Scope.LAYERWISE, Scope.GLOBAL)) {
                MaskSet masks = selector.select(scores(params, values.toArray(new float[0][])), params,
                        new MaskSet(current), target, scope, UNSTRUCTURED);
                Map<String, BitSet> expected = referencePrune(params, values, alreadyPruned, target, scope);
                for (ParameterSpec p : params) {
                    assertThat(pruned(masks, p.name())).as("%s %s target %s", scope, p.name(), target)
                            .isEqualTo(expected.get(p.name()));
                }
            }
        }
    }

    @Test
    void theCountIsExactAndTiesAreBrokenByParameterOrderThenIndex() {
        ParameterSpec a = weight("a.weight", 2, 5);
        ParameterSpec b = weight("b.weight", 2, 5);
        List<ParameterSpec> params = List.of(a, b);
        float[] same = new float[10];
        java.util.Arrays.fill(same, 1f);

        MaskSet global = selector.select(scores(params, same, same.clone()), params, MaskSet.empty(), 0.65,
                Scope.GLOBAL, UNSTRUCTURED);
        // round(0.65 × 20) = 13: all ten of a, then the first three of b
        assertThat(pruned(global, "a.weight").cardinality()).isEqualTo(10);
        assertThat(pruned(global, "b.weight").stream().toArray()).containsExactly(0, 1, 2);

        MaskSet layerwise = selector.select(scores(params, same, same.clone()), params, MaskSet.empty(), 0.35,
                Scope.LAYERWISE, UNSTRUCTURED);
        // round(0.35 × 10) = round(3.5) = 4 of each, the first four indices
        assertThat(pruned(layerwise, "a.weight").stream().toArray()).containsExactly(0, 1, 2, 3);
        assertThat(pruned(layerwise, "b.weight").stream().toArray()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void tiesAtTheThresholdGiveAnExactCount() {
        ParameterSpec p = weight("fc.weight", 1, 6);
        // two below, four tied at the threshold: pruning 3 takes one of the ties, the lowest index
        MaskSet masks = selector.select(scores(List.of(p), new float[] {2, 2, 1, 2, 0, 2}), List.of(p),
                MaskSet.empty(), 0.5, Scope.LAYERWISE, UNSTRUCTURED);

        assertThat(pruned(masks, p.name()).stream().toArray()).containsExactly(0, 2, 4);
    }

    @Test
    void theResultDoesNotDependOnTheScoresMapOrder() {
        List<ParameterSpec> params = new ArrayList<>();
        Map<String, float[]> forward = new LinkedHashMap<>();
        for (int i = 0; i < 12; i++) {
            ParameterSpec p = weight("layer" + i + ".weight", 3, 3);
            params.add(p);
            float[] v = new float[9];
            java.util.Arrays.fill(v, 0.5f);
            forward.put(p.name(), v);
        }
        Map<String, float[]> backward = new LinkedHashMap<>();
        for (int i = params.size() - 1; i >= 0; i--) {
            backward.put(params.get(i).name(), forward.get(params.get(i).name()));
        }
        MaskSet one = selector.select(new Scores(forward), params, MaskSet.empty(), 0.3, Scope.GLOBAL,
                UNSTRUCTURED);
        MaskSet two = selector.select(new Scores(new HashMap<>(backward)), params, MaskSet.empty(), 0.3,
                Scope.GLOBAL, UNSTRUCTURED);

        assertThat(two.asMap()).isEqualTo(one.asMap());
        assertThat(new ArrayList<>(one.asMap().keySet())).isEqualTo(params.stream().map(ParameterSpec::name).toList());
        // round(0.3 × 108) = 32: the first three parameters entirely (27) and five of the fourth
        assertThat(one.prunedCount()).isEqualTo(32);
        assertThat(pruned(one, "layer3.weight").stream().toArray()).containsExactly(0, 1, 2, 3, 4);
        assertThat(pruned(one, "layer4.weight").isEmpty()).isTrue();
    }

    @Test
    void twoOfFourKeepsTheTwoHighestOfEveryGroup() {
        Random random = new Random(3);
        ParameterSpec dense = weight("fc.weight", 6, 8);
        ParameterSpec conv = weight("conv.weight", 3, 2, 2, 2); // rows of in·kh·kw = 8
        List<ParameterSpec> params = List.of(dense, conv);
        float[] d = randomScores(random, 48, 1f);
        float[] c = randomScores(random, 24, 1f);

        MaskSet masks = selector.select(scores(params, d, c), params, MaskSet.empty(), 0.5, Scope.GLOBAL,
                new Structure.NOfM(2, 4));

        for (int p = 0; p < 2; p++) {
            float[] values = p == 0 ? d : c;
            Mask mask = masks.get(params.get(p).name()).orElseThrow();
            for (int g = 0; g < values.length; g += 4) {
                List<Integer> group = new ArrayList<>(List.of(g, g + 1, g + 2, g + 3));
                group.sort(Comparator.comparingDouble((Integer i) -> values[i]).reversed());
                assertThat(mask.kept(group.get(0)) && mask.kept(group.get(1))).as("group at %d", g).isTrue();
                assertThat(mask.kept(group.get(2)) || mask.kept(group.get(3))).as("group at %d", g).isFalse();
            }
        }
        assertThat(masks.sparsity()).isEqualTo(0.5);
    }

    @Test
    void nOfMRespectsEarlierMasksAndBreaksTiesByIndex() {
        ParameterSpec p = weight("fc.weight", 1, 8);
        BitSet kept = new BitSet();
        kept.set(0, 8);
        kept.clear(0); // the highest of the first group, pruned earlier
        MaskSet current = new MaskSet(Map.of(p.name(), new Mask(p.shape(), kept)));

        MaskSet masks = selector.select(scores(List.of(p), new float[] {9, 1, 5, 3, 4, 4, 4, 4}), List.of(p),
                current, 0.5, Scope.LAYERWISE, new Structure.NOfM(2, 4));

        assertThat(masks.get(p.name()).orElseThrow().keptBits().stream().toArray()).containsExactly(2, 3, 6, 7);
    }

    @Test
    void nOfMRejectsTargetsItDoesNotFix() {
        ParameterSpec fine = weight("fc1.weight", 2, 8);
        assertThatThrownBy(() -> selector.select(scores(List.of(fine), new float[16]), List.of(fine),
                MaskSet.empty(), 0.8, Scope.GLOBAL, new Structure.NOfM(2, 4)))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("2:4").hasMessageContaining("0.5")
                .hasMessageContaining("0.8");
    }

    @Test
    void unitsSpanningSeveralParametersAreLeftToPruningGroupsAndChannelsNeedConvKernels() {
        ParameterSpec p = weight("fc.weight", 2, 2);
        for (Structure.Unit unit : List.of(Structure.Unit.HEADS, Structure.Unit.MLP, Structure.Unit.BLOCKS)) {
            assertThatThrownBy(() -> selector.select(scores(List.of(p), new float[4]), List.of(p), MaskSet.empty(),
                    0.5, Scope.GLOBAL, new Structure.Groups(unit)))
                    .isInstanceOf(BonsaiException.class).hasMessageContaining("'" + new Structure.Groups(unit).label()
                            + "'").hasMessageContaining("PruningGroups.select");
        }
        assertThatThrownBy(() -> selector.select(scores(List.of(p), new float[4]), List.of(p), MaskSet.empty(), 0.5,
                Scope.GLOBAL, new Structure.Groups(Structure.Unit.CHANNELS)))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("'fc.weight'")
                .hasMessageContaining("conv kernels");
    }

    @Test
    void channelsAreWholeFiltersRankedByMeanScoreAndMeetTheTargetExactly() {
        // conv a: 5 filters of 2×1×1 (row length 2); conv b: 3 filters of 1×2×2 (row length 4)
        ParameterSpec a = new ParameterSpec("a.weight", "a", Shape.of(5, 2, 1, 1), ParameterRole.WEIGHT, 2);
        ParameterSpec b = new ParameterSpec("b.weight", "b", Shape.of(3, 1, 2, 2), ParameterRole.WEIGHT, 4);
        float[] sa = {4, 4, 1, 3, 0.2f, 0.2f, 6, 0, 2, 2};
        float[] sb = {1, 1, 1, 1, 0, 0, 0, 0.4f, 9, 9, 9, 9};
        Scores scores = new Scores(java.util.Map.of("a.weight", sa, "b.weight", sb));
        Structure channels = new Structure.Groups(Structure.Unit.CHANNELS);
        // means a = [4, 2, 0.2, 3, 2], b = [1, 0.1, 9]; global 0.5 of 8 channels = 4: a2, b1, then the tie at 1 and
        // 2 broken by order: b0 (1) and a1 (2)
        MaskSet global = selector.select(scores, List.of(a, b), MaskSet.empty(), 0.5, Scope.GLOBAL, channels);
        assertThat(prunedRows(global, "a.weight", 5, 2)).containsExactly(1, 2);
        assertThat(prunedRows(global, "b.weight", 3, 4)).containsExactly(0, 1);
        // layerwise 0.4: round(2) of a (a2, then a1 before a4 at the tie), round(1.2) = 1 of b
        MaskSet layerwise = selector.select(scores, List.of(a, b), MaskSet.empty(), 0.4, Scope.LAYERWISE, channels);
        assertThat(prunedRows(layerwise, "a.weight", 5, 2)).containsExactly(1, 2);
        assertThat(prunedRows(layerwise, "b.weight", 3, 4)).containsExactly(1);
    }

    @Test
    void neuronsAreWholeRowsRankedByMeanRowScore() {
        // layer a: 4 neurons × 2 inputs; layer b: 2 neurons × 4 inputs
        ParameterSpec a = weight("a.weight", 4, 2);
        ParameterSpec b = weight("b.weight", 2, 4);
        float[] sa = {5, 5, 1, 1, 3, 3, 0.5f, 0.5f};
        float[] sb = {2, 2, 2, 2, 0.1f, 0.1f, 0.1f, 0.3f};
        Scores scores = new Scores(java.util.Map.of("a.weight", sa, "b.weight", sb));
        MaskSet global = selector.select(scores, List.of(a, b), MaskSet.empty(), 0.5, Scope.GLOBAL,
                new Structure.Groups(Structure.Unit.NEURONS));
        // 6 neurons, 3 removed: row means a = [5, 1, 3, 0.5], b = [2, 0.15] → remove a1, a3, b1
        assertThat(prunedRows(global, "a.weight", 4, 2)).containsExactly(1, 3);
        assertThat(prunedRows(global, "b.weight", 2, 4)).containsExactly(1);
        MaskSet layerwise = selector.select(scores, List.of(a, b), MaskSet.empty(), 0.5, Scope.LAYERWISE,
                new Structure.Groups(Structure.Unit.NEURONS));
        assertThat(prunedRows(layerwise, "a.weight", 4, 2)).containsExactly(1, 3);
        assertThat(prunedRows(layerwise, "b.weight", 2, 4)).containsExactly(1);
        MaskSet quarter = selector.select(scores, List.of(a), MaskSet.empty(), 0.25, Scope.LAYERWISE,
                new Structure.Groups(Structure.Unit.NEURONS));
        assertThat(prunedRows(quarter, "a.weight", 4, 2)).containsExactly(3);
        MaskSet more = selector.select(scores, List.of(a), quarter, 0.5, Scope.LAYERWISE,
                new Structure.Groups(Structure.Unit.NEURONS));
        assertThat(prunedRows(more, "a.weight", 4, 2)).containsExactly(1, 3);
    }

    /** The rows of {@code name} whose every element is pruned; fails if a row is only partly pruned. */
    private static List<Integer> prunedRows(MaskSet masks, String name, int rows, int length) {
        var mask = masks.get(name).orElseThrow();
        List<Integer> out = new java.util.ArrayList<>();
        for (int r = 0; r < rows; r++) {
            int kept = 0;
            for (int i = r * length; i < (r + 1) * length; i++) {
                kept += mask.kept(i) ? 1 : 0;
            }
            assertThat(kept).as("row %d of %s is whole", r, name).isIn(0, length);
            if (kept == 0) {
                out.add(r);
            }
        }
        return out;
    }

    @Test
    void badInputsNameTheParameter() {
        ParameterSpec p = weight("fc2.weight", 2, 3);
        List<ParameterSpec> params = List.of(p);

        assertThatThrownBy(() -> selector.select(scores(params, new float[] {1, 2, Float.NaN, 4, 5, 6}), params,
                MaskSet.empty(), 0.5, Scope.GLOBAL, UNSTRUCTURED))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("'fc2.weight'").hasMessageContaining("NaN");
        assertThatThrownBy(() -> selector.select(scores(params, new float[5]), params, MaskSet.empty(), 0.5,
                Scope.GLOBAL, UNSTRUCTURED))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("'fc2.weight'").hasMessageContaining("5");
        assertThatThrownBy(() -> selector.select(new Scores(Map.of()), params, MaskSet.empty(), 0.5, Scope.GLOBAL,
                UNSTRUCTURED))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("'fc2.weight'");
        MaskSet wrongShape = new MaskSet(Map.of(p.name(), Mask.dense(Shape.of(3, 2))));
        assertThatThrownBy(() -> selector.select(scores(params, new float[6]), params, wrongShape, 0.5,
                Scope.GLOBAL, UNSTRUCTURED))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("'fc2.weight'");
        assertThatThrownBy(() -> selector.select(scores(params, new float[6]), params, MaskSet.empty(), 1.5,
                Scope.GLOBAL, UNSTRUCTURED))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("1.5");
    }

    @Test
    void masksOfOtherParametersAreCarriedOver() {
        ParameterSpec p = weight("fc.weight", 2, 2);
        Mask other = new Mask(Shape.of(3), new BitSet());
        MaskSet current = new MaskSet(Map.of("emb.weight", other));

        MaskSet masks = selector.select(scores(List.of(p), new float[] {1, 2, 3, 4}), List.of(p), current, 0.25,
                Scope.LAYERWISE, UNSTRUCTURED);

        assertThat(masks.asMap().keySet()).containsExactly("fc.weight", "emb.weight");
        assertThat(masks.get("emb.weight")).contains(other);
        assertThat(pruned(masks, "fc.weight").stream().toArray()).containsExactly(0);
    }

    @Test
    void extremesAndInfinities() {
        ParameterSpec p = weight("fc.weight", 1, 5);
        float[] s = {Float.POSITIVE_INFINITY, -1e30f, Float.NEGATIVE_INFINITY, -Float.MIN_VALUE, Float.MIN_VALUE};
        List<ParameterSpec> params = List.of(p);

        assertThat(pruned(selector.select(scores(params, s), params, MaskSet.empty(), 0.6, Scope.GLOBAL,
                UNSTRUCTURED), p.name()).stream().toArray()).containsExactly(1, 2, 3);
        assertThat(selector.select(scores(params, s), params, MaskSet.empty(), 0, Scope.GLOBAL, UNSTRUCTURED)
                .prunedCount()).isZero();
        assertThat(selector.select(scores(params, s), params, MaskSet.empty(), 1, Scope.GLOBAL, UNSTRUCTURED)
                .prunedCount()).isEqualTo(5);
    }

    @Test
    void millionsOfWeightsMeetTheTargetExactly() {
        Random random = new Random(9);
        ParameterSpec big = weight("big.weight", 2000, 1000);
        ParameterSpec other = weight("other.weight", 1000, 300);
        List<ParameterSpec> params = List.of(big, other);
        float[] b = new float[2_000_000];
        float[] o = new float[300_000];
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < o.length; i++) {
            o[i] = (float) random.nextGaussian() * 2;
        }

        MaskSet masks = selector.select(scores(params, b, o), params, MaskSet.empty(), 0.9, Scope.GLOBAL,
                UNSTRUCTURED);

        assertThat(masks.prunedCount()).isEqualTo(Math.round(0.9 * 2_300_000));
        float maxPruned = Float.NEGATIVE_INFINITY;
        float minKept = Float.POSITIVE_INFINITY;
        for (int p = 0; p < 2; p++) {
            float[] v = p == 0 ? b : o;
            Mask mask = masks.get(params.get(p).name()).orElseThrow();
            for (int i = 0; i < v.length; i++) {
                if (mask.kept(i)) {
                    minKept = Math.min(minKept, v[i]);
                } else {
                    maxPruned = Math.max(maxPruned, v[i]);
                }
            }
        }
        assertThat(maxPruned).isLessThanOrEqualTo(minKept);
    }

    @Test
    void keyPreservesTheOrderOfFloats() {
        float[] ordered = {Float.NEGATIVE_INFINITY, -Float.MAX_VALUE, -2f, -1f, -Float.MIN_VALUE, 0f,
            Float.MIN_VALUE, 1f, 2f, Float.MAX_VALUE, Float.POSITIVE_INFINITY};
        for (int i = 1; i < ordered.length; i++) {
            assertThat(Integer.compareUnsigned(MaskSelector.key(ordered[i - 1]), MaskSelector.key(ordered[i])))
                    .as("%s < %s", ordered[i - 1], ordered[i]).isNegative();
        }
        assertThat(MaskSelector.key(-0f)).isEqualTo(MaskSelector.key(0f));
    }
}
