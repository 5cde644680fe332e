package dev.bonsai.strategies.structure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.strategies.selection.MaskSelector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Heads are scored by the mean of their elements' scores and pruned to the target, whole. */
class AttentionHeadsTest {
    /** D = 8: a bare attention layer of 4 heads of width 2, then a transformer block of 2 heads of width 4. */
    private static final ModelSpec SPEC = new ModelSpec("tiny-lm", Shape.of(4), List.of(
            new LayerSpec.Embedding("emb", 5, 8),
            new LayerSpec.CausalSelfAttention("attn", 4, 0),
            new LayerSpec.TransformerBlock("block", 2, 2, 0),
            new LayerSpec.Dense("head", 5, false)));
    private static final MaskSelector SELECTOR = new MaskSelector();

    /**
     * Scores that give head h of each layer exactly the mean {@code means[h]}: each of its q, k, v rows and proj
     * columns holds the mean plus ±1 alternately, which averages out over its elements.
     */
    private static Map<String, float[]> scores(AttentionHeads.Layer layer, float... means) {
        int d = layer.width();
        int inner = layer.inner();
        float[] qkv = new float[3 * inner * d];
        float[] proj = new float[d * inner];
        for (int h = 0; h < layer.heads(); h++) {
            for (int block = 0; block < 3; block++) {
                for (int i = 0; i < layer.headDim(); i++) {
                    int row = block * inner + h * layer.headDim() + i;
                    for (int c = 0; c < d; c++) {
                        qkv[row * d + c] = means[h] + (c % 2 == 0 ? 1 : -1);
                    }
                }
            }
            for (int i = 0; i < layer.headDim(); i++) {
                for (int r = 0; r < d; r++) {
                    proj[r * inner + h * layer.headDim() + i] = means[h] + (r % 2 == 0 ? 1 : -1);
                }
            }
        }
        return Map.of(layer.qkvWeight(), qkv, layer.projWeight(), proj);
    }

    private static Scores both(float[] attn, float[] block) {
        AttentionHeads heads = AttentionHeads.of(SPEC);
        Map<String, float[]> all = new LinkedHashMap<>(scores(heads.layers().get("attn"), attn));
        all.putAll(scores(heads.layers().get("block.attn"), block));
        return new Scores(all);
    }

    /** The heads of {@code layer} whose q, k and v rows and proj columns are all pruned, and nothing else is. */
    private static List<Integer> prunedHeads(MaskSet masks, AttentionHeads.Layer layer) {
        Mask qkv = masks.get(layer.qkvWeight()).orElseThrow();
        Mask bias = masks.get(layer.qkvBias()).orElseThrow();
        Mask proj = masks.get(layer.projWeight()).orElseThrow();
        List<Integer> pruned = new java.util.ArrayList<>();
        int d = layer.width();
        for (int h = 0; h < layer.heads(); h++) {
            boolean gone = !qkv.kept(2 * layer.inner() * d + h * layer.headDim() * d);
            pruned.add(gone ? h : -1);
            for (int block = 0; block < 3; block++) {
                for (int i = 0; i < layer.headDim(); i++) {
                    int row = block * layer.inner() + h * layer.headDim() + i;
                    assertThat(bias.kept(row)).isEqualTo(!gone);
                    for (int c = 0; c < d; c++) {
                        assertThat(qkv.kept(row * d + c)).isEqualTo(!gone);
                    }
                }
            }
            for (int i = 0; i < layer.headDim(); i++) {
                for (int r = 0; r < d; r++) {
                    assertThat(proj.kept(r * layer.inner() + h * layer.headDim() + i)).isEqualTo(!gone);
                }
            }
        }
        pruned.removeIf(h -> h < 0);
        return pruned;
    }

    @Test
    void findsTheAttentionLayersAndTheirHeadWidths() {
        Map<String, AttentionHeads.Layer> layers = AttentionHeads.of(SPEC).layers();
        assertThat(layers).containsOnlyKeys("attn", "block.attn");
        assertThat(layers.get("attn").headDim()).isEqualTo(2);
        assertThat(layers.get("block.attn").headDim()).isEqualTo(4);
        assertThat(layers.get("block.attn").qkvWeight()).isEqualTo("block.attn.qkv.weight");
    }

    @Test
    void layerwiseRemovesTheLowestMeanHeadsOfEachLayer() {
        AttentionHeads heads = AttentionHeads.of(SPEC);
        MaskSet masks = heads.select(SELECTOR, both(new float[] {3, 1, 4, 2}, new float[] {9, 8}),
                List.of("attn", "block.attn"), MaskSet.empty(), 0.5, Scope.LAYERWISE);
        assertThat(prunedHeads(masks, heads.layers().get("attn"))).containsExactly(1, 3);
        assertThat(prunedHeads(masks, heads.layers().get("block.attn"))).containsExactly(1);
    }

    @Test
    void globalComparesHeadsAcrossLayersAndCountsAllHeads() {
        AttentionHeads heads = AttentionHeads.of(SPEC);
        // 6 heads at 0.5: the three lowest means, 1 and 2 of attn and 1.5 of the block
        MaskSet masks = heads.select(SELECTOR, both(new float[] {3, 1, 4, 2}, new float[] {9, 1.5f}),
                List.of("attn", "block.attn"), MaskSet.empty(), 0.5, Scope.GLOBAL);
        assertThat(prunedHeads(masks, heads.layers().get("attn"))).containsExactly(1, 3);
        assertThat(prunedHeads(masks, heads.layers().get("block.attn"))).containsExactly(1);
    }

    @Test
    void prunedHeadsStayPrunedAndCountTowardTheTarget() {
        AttentionHeads heads = AttentionHeads.of(SPEC);
        MaskSet first = heads.select(SELECTOR, both(new float[] {3, 1, 4, 2}, new float[] {9, 8}), List.of("attn"),
                MaskSet.empty(), 0.25, Scope.LAYERWISE);
        assertThat(prunedHeads(first, heads.layers().get("attn"))).containsExactly(1);
        // head 1 now scores highest, yet stays pruned; one more (the lowest of the rest, head 3) goes
        MaskSet second = heads.select(SELECTOR, both(new float[] {3, 10, 4, 2}, new float[] {9, 8}), List.of("attn"),
                first, 0.5, Scope.LAYERWISE);
        assertThat(prunedHeads(second, heads.layers().get("attn"))).containsExactly(1, 3);
        assertThat(second.get("block.attn.qkv.weight")).isEmpty();
    }

    @Test
    void aTargetThatRemovesEveryHeadOfALayerIsRefusedNamingIt() {
        AttentionHeads heads = AttentionHeads.of(SPEC);
        // 0.8 of the block's 2 heads rounds to 2
        assertThatThrownBy(() -> heads.select(SELECTOR, both(new float[] {3, 1, 4, 2}, new float[] {9, 8}),
                List.of("attn", "block.attn"), MaskSet.empty(), 0.8, Scope.LAYERWISE))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("'block.attn'")
                .hasMessageContaining("at least one");
        assertThatThrownBy(() -> heads.select(SELECTOR, both(new float[] {3, 1, 4, 2}, new float[] {9, 8}),
                List.of("emb"), MaskSet.empty(), 0.5, Scope.LAYERWISE))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("'emb' is not an attention layer");
    }
}
