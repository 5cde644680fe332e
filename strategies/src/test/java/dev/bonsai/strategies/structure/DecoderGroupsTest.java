package dev.bonsai.strategies.structure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.strategies.selection.MaskSelector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pretrained decoder layers' groups at the spec level: a grouped-query attention's key/value heads with their
 * query heads, and a decoder block as a block.
 */
class DecoderGroupsTest {
    private static final int WIDTH = 8;

    /** Two LLaMA-style blocks: 4 query heads sharing 2 key/value heads of width 2, a gated MLP of 12. */
    private static ModelSpec llama() {
        LayerSpec.Attention attention = new LayerSpec.Attention("attn", 4, 2, 2, 10000, true, false);
        LayerSpec.FeedForward mlp = new LayerSpec.FeedForward("mlp", 12, Activation.SILU, true, false);
        return new ModelSpec("tiny-llama", Shape.of(4), List.of(new LayerSpec.Embedding("emb", 5, WIDTH),
                new LayerSpec.DecoderBlock("layer0", true, 1e-5, attention, mlp),
                new LayerSpec.DecoderBlock("layer1", true, 1e-5, attention, mlp),
                new LayerSpec.Dense("head", 5, false)));
    }

    @Test
    void aGroupedHeadIsAKeyValueHeadWithTheQueryHeadsSharingIt() {
        PruningGroups groups = PruningGroups.of(llama(), Structure.Unit.HEADS);
        assertThat(groups.layers()).containsOnlyKeys("layer0.attn", "layer1.attn");
        PruningGroup second = groups.layers().get("layer1.attn").get(1);
        assertThat(groups.layers().get("layer1.attn")).hasSize(2);
        // query heads 2 and 3 (rows 4..7 of q, columns 4..7 of o) share key/value head 1 (rows 2..3 of k and v)
        assertThat(second.marker()).containsExactly(new Slice("layer1.attn.q.weight", 0, new int[] {4, 5, 6, 7}),
                new Slice("layer1.attn.k.weight", 0, new int[] {2, 3}),
                new Slice("layer1.attn.v.weight", 0, new int[] {2, 3}));
        assertThat(second.scored()).endsWith(new Slice("layer1.attn.o.weight", 1, new int[] {4, 5, 6, 7}));
        assertThat(second.masked()).contains(new Slice("layer1.attn.q.bias", 0, new int[] {4, 5, 6, 7}),
                new Slice("layer1.attn.k.bias", 0, new int[] {2, 3}), new Slice("layer1.attn.v.bias", 0,
                        new int[] {2, 3}));
    }

    @Test
    void removingAKeyValueGroupHalvesTheHeadsAndSlicesEveryProjectionAlike() {
        ModelSpec spec = llama();
        PruningGroups groups = PruningGroups.of(spec, Structure.Unit.HEADS);
        MaskSet masks = groups.select(new MaskSelector(), MlpGroupsTest.randomScores(spec, 4),
                List.of("layer0.attn", "layer1.attn"), MaskSet.empty(), 0.5, Scope.LAYERWISE);
        Weights dense = WeightInitializer.initialize(spec, 6);
        Weights masked = ChannelCompactionTest.applied(dense, masks);
        Compacted result = groups.compact(masked, masks);

        assertThat(result.removed()).containsExactly(Map.entry("layer0.attn", 1), Map.entry("layer1.attn", 1));
        for (String layer : List.of("layer0", "layer1")) {
            LayerSpec.DecoderBlock block = (LayerSpec.DecoderBlock) result.spec().layers().stream()
                    .filter(l -> l.name().equals(layer)).findFirst().orElseThrow();
            assertThat(block.attention().heads()).isEqualTo(2);
            assertThat(block.attention().kvHeads()).isEqualTo(1);
            assertThat(block.mlp().hidden()).isEqualTo(12);
            String a = layer + ".attn";
            boolean firstKept = masks.get(a + ".k.weight").orElseThrow().kept(0);
            int keptGroup = firstKept ? 0 : 1;
            // the kept group's rows of q (4 rows), k and v (2 rows each), their biases and its columns of o
            assertRows(masked, result.weights(), a + ".q.weight", keptGroup * 4, 4, WIDTH);
            assertRows(masked, result.weights(), a + ".k.weight", keptGroup * 2, 2, WIDTH);
            assertRows(masked, result.weights(), a + ".v.weight", keptGroup * 2, 2, WIDTH);
            assertRows(masked, result.weights(), a + ".q.bias", keptGroup * 4, 4, 1);
            float[] o = masked.get(a + ".o.weight").data();
            float[] oSmall = result.weights().get(a + ".o.weight").data();
            assertThat(result.spec().parameter(a + ".o.weight").shape()).isEqualTo(Shape.of(WIDTH, 4));
            for (int r = 0; r < WIDTH; r++) {
                for (int c = 0; c < 4; c++) {
                    assertThat(oSmall[r * 4 + c]).isEqualTo(o[r * 8 + keptGroup * 4 + c]);
                }
            }
        }
        assertThat(result.masks().isEmpty()).isTrue();
    }

    /** Rows {@code from … from+count−1} of {@code name} in {@code big} are {@code name}'s rows in {@code small}. */
    private static void assertRows(Weights big, Weights small, String name, int from, int count, int length) {
        float[] b = big.get(name).data();
        float[] s = small.get(name).data();
        assertThat(s).hasSize(count * length);
        for (int i = 0; i < count * length; i++) {
            assertThat(s[i]).as("%s[%d]", name, i).isEqualTo(b[from * length + i]);
        }
    }

    @Test
    void aDecoderBlockIsABlockAndIsRemovedWhole() {
        ModelSpec spec = llama();
        PruningGroups groups = PruningGroups.of(spec, Structure.Unit.BLOCKS);
        assertThat(groups.layers()).containsOnlyKeys("layer0", "layer1");
        assertThat(groups.scoredParameters("layer1")).containsExactly("layer1.attn.q.weight", "layer1.attn.k.weight",
                "layer1.attn.v.weight", "layer1.attn.o.weight", "layer1.mlp.gate.weight", "layer1.mlp.up.weight",
                "layer1.mlp.down.weight");
        MaskSet masks = groups.select(new MaskSelector(), MlpGroupsTest.randomScores(spec, 9),
                List.of("layer0", "layer1"), MaskSet.empty(), 0.5, Scope.GLOBAL);
        Weights dense = WeightInitializer.initialize(spec, 6);
        Compacted result = groups.compact(ChannelCompactionTest.applied(dense, masks), masks);
        assertThat(result.removed()).hasSize(1);
        assertThat(result.spec().layers()).hasSize(3);
        String kept = result.spec().layers().get(1).name();
        for (String name : result.spec().parameters().keySet()) {
            assertThat(name).doesNotStartWith(result.removed().keySet().iterator().next() + ".");
            assertThat(result.weights().get(name).data()).containsExactly(dense.get(name).data());
        }
        assertThat(kept).isIn("layer0", "layer1");
    }
}
