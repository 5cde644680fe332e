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
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The selector's row scope against a boxed per-row sort, and N:M rows whose length is not a multiple of m against
 * the rule that a trailing group of g columns keeps min(n, g).
 */
class RowScopeAndPartialGroupsTest {
    private final MaskSelector selector = new MaskSelector();

    private static ParameterSpec weight(int rows, int cols) {
        return new ParameterSpec("a.weight", "a", Shape.of(rows, cols), ParameterRole.WEIGHT, cols);
    }

    private Mask select(ParameterSpec p, float[] scores, MaskSet current, double target, Scope scope,
            Structure structure) {
        return selector.select(new Scores(Map.of(p.name(), scores)), List.of(p), current, target, scope, structure)
                .get(p.name()).orElseThrow();
    }

    @Test
    void rowScopePrunesTheLowestOfEachRowWhereLayerwiseSelectionWouldEmptyARow() {
        int rows = 6;
        int cols = 11;
        ParameterSpec p = weight(rows, cols);
        Random random = new Random(11);
        float[] s = new float[rows * cols];
        for (int i = 0; i < s.length; i++) {
            // row r's scores live around 10^r: a layerwise selection takes the low rows first
            s[i] = (float) (Math.pow(10, i / cols) * (1 + random.nextInt(4)));
        }
        Mask mask = select(p, s, MaskSet.empty(), 0.4, Scope.ROW, new Structure.Unstructured());
        long perRow = Math.round(0.4 * cols);
        for (int r = 0; r < rows; r++) {
            final int from = r * cols;
            List<Integer> order = new ArrayList<>();
            for (int j = 0; j < cols; j++) {
                order.add(j);
            }
            order.sort(Comparator.<Integer>comparingDouble(j -> s[from + j]).thenComparingInt(j -> j));
            for (int t = 0; t < cols; t++) {
                assertThat(mask.kept(from + order.get(t))).as("row %d, rank %d", r, t).isEqualTo(t >= perRow);
            }
        }
        assertThat(mask.prunedCount()).isEqualTo(rows * perRow);
        Mask layerwise = select(p, s, MaskSet.empty(), 0.4, Scope.LAYERWISE, new Structure.Unstructured());
        assertThat(layerwise.keptBits().get(0, cols).isEmpty()).as("layerwise: row 0 emptied").isTrue();
    }

    @Test
    void rowScopeCountsEarlierPrunedPositionsOfTheRow() {
        ParameterSpec p = weight(2, 4);
        BitSet kept = new BitSet();
        kept.set(0, 8);
        kept.clear(3);
        kept.clear(4);
        kept.clear(5);
        MaskSet current = new MaskSet(Map.of(p.name(), new Mask(p.shape(), kept)));
        float[] s = {4, 1, 3, 9, 9, 9, 2, 1};
        Mask mask = select(p, s, current, 0.5, Scope.ROW, new Structure.Unstructured());
        // row 0: position 3 already pruned, one more: the lowest kept (1 at index 1); row 1: already two pruned
        assertThat(mask.keptBits()).isEqualTo(bits(0, 2, 6, 7));
    }

    @Test
    void rowScopeRefusesWholeRowUnits() {
        ParameterSpec p = weight(2, 4);
        assertThatThrownBy(() -> select(p, new float[8], MaskSet.empty(), 0.5, Scope.ROW,
                new Structure.Groups(Structure.Unit.NEURONS)))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("scope 'row'").hasMessageContaining("neurons");
    }

    @Test
    void aTrailingNOfMGroupKeepsMinOfNAndItsWidth() {
        ParameterSpec p = weight(2, 6);
        float[] s = {5, 1, 2, 8, 3, 4, /* row 1 */ 1, 1, 1, 1, 7, 6};
        Mask twoOfFour = select(p, s, MaskSet.empty(), 0.5, Scope.LAYERWISE, new Structure.NOfM(2, 4));
        // groups [0, 4) keep their two highest (ties: the lower index is pruned first); [4, 6) keeps both
        assertThat(twoOfFour.keptBits()).isEqualTo(bits(0, 3, 4, 5, 8, 9, 10, 11));
        Mask oneOfFour = select(p, s, MaskSet.empty(), 0.75, Scope.LAYERWISE, new Structure.NOfM(1, 4));
        assertThat(oneOfFour.keptBits()).isEqualTo(bits(3, 5, 9, 10));
    }

    private static BitSet bits(int... set) {
        BitSet b = new BitSet();
        for (int i : set) {
            b.set(i);
        }
        return b;
    }
}
