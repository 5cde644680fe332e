package dev.bonsai.strategies.structure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.strategies.selection.MaskSelector;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whole blocks as pruning groups: scored by their weights' summed scores, removed from the spec whole. */
class BlockGroupsTest {
    private static final MaskSelector SELECTOR = new MaskSelector();

    /** block1 has a 4× MLP (768 weights), block2 a 2× one (512 weights). */
    private static ModelSpec gpt() {
        return new ModelSpec("tiny-gpt", Shape.of(4), List.of(new LayerSpec.Embedding("emb", 5, 8),
                new LayerSpec.TransformerBlock("block1", 2, 4, 0), new LayerSpec.TransformerBlock("block2", 2, 2, 0),
                new LayerSpec.Dense("head", 5, false)));
    }

    /** Every element of block1's parameters scores {@code one}, block2's {@code two}. */
    private static Scores constant(ModelSpec spec, float one, float two) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (ParameterSpec p : spec.parameters().values()) {
            float[] s = new float[Math.toIntExact(p.size())];
            Arrays.fill(s, p.name().startsWith("block1.") ? one : p.name().startsWith("block2.") ? two : 9);
            out.put(p.name(), s);
        }
        return new Scores(out);
    }

    @Test
    void aBlockIsOneGroupOfAllItsParametersScoredOnItsWeights() {
        PruningGroups groups = PruningGroups.of(gpt(), Structure.Unit.BLOCKS);
        assertThat(groups.layers()).containsOnlyKeys("block1", "block2");
        PruningGroup block = groups.layers().get("block2").get(0);
        assertThat(block.scored()).extracting(Slice::parameter).containsExactly("block2.attn.qkv.weight",
                "block2.attn.proj.weight", "block2.fc.weight", "block2.proj.weight");
        assertThat(block.masked()).extracting(Slice::parameter)
                .containsExactlyElementsOf(gpt().parameters().keySet().stream().filter(n -> n.startsWith("block2."))
                        .toList());
        assertThat(block.removed()).isEmpty();
    }

    @Test
    void blocksAreRankedByTheSumOfTheirScoresNotTheMean() {
        ModelSpec spec = gpt();
        // sums: block1 768 × 0.7 = 537.6, block2 512 × 1 = 512, so block2 goes (by the mean block1 would)
        MaskSet masks = PruningGroups.of(spec, Structure.Unit.BLOCKS).select(SELECTOR, constant(spec, 0.7f, 1f),
                List.of("block1", "block2"), MaskSet.empty(), 0.5, Scope.LAYERWISE);
        for (ParameterSpec p : spec.parameters().values()) {
            if (p.name().startsWith("block2.")) {
                assertThat(masks.get(p.name()).orElseThrow().keptCount()).as(p.name()).isZero();
            } else if (p.name().startsWith("block1.")) {
                assertThat(masks.get(p.name()).map(m -> m.prunedCount()).orElse(0)).as(p.name()).isZero();
            }
        }
        // 768 × 0.6 = 460.8 < 512: block1 goes
        MaskSet other = PruningGroups.of(spec, Structure.Unit.BLOCKS).select(SELECTOR, constant(spec, 0.6f, 1f),
                List.of("block1", "block2"), MaskSet.empty(), 0.5, Scope.GLOBAL);
        assertThat(other.get("block1.fc.weight").orElseThrow().keptCount()).isZero();
        assertThat(other.get("block2.fc.weight").orElseThrow().prunedCount()).isZero();
    }

    @Test
    void aStrategysOwnBlockScoresAreUsedAsTheyAre() {
        ModelSpec spec = gpt();
        Map<String, float[]> scores = new LinkedHashMap<>(constant(spec, 0.7f, 1f).asMap());
        scores.put("block1.blocks", new float[] {1});
        scores.put("block2.blocks", new float[] {2});
        MaskSet masks = PruningGroups.of(spec, Structure.Unit.BLOCKS).select(SELECTOR, new Scores(scores),
                List.of("block1", "block2"), MaskSet.empty(), 0.5, Scope.GLOBAL);
        assertThat(masks.get("block1.attn.qkv.weight").orElseThrow().keptCount()).isZero();
        assertThat(masks.get("block2.attn.qkv.weight").orElseThrow().prunedCount()).isZero();
    }

    @Test
    void theModelKeepsAtLeastOneBlock() {
        ModelSpec spec = gpt();
        assertThatThrownBy(() -> PruningGroups.of(spec, Structure.Unit.BLOCKS).select(SELECTOR,
                constant(spec, 1, 1), List.of("block1", "block2"), MaskSet.empty(), 0.8, Scope.LAYERWISE))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("model 'tiny-gpt'")
                .hasMessageContaining("at least one");
    }

    @Test
    void compactionRemovesThePrunedBlockAndKeepsEveryOtherWeight() {
        ModelSpec spec = gpt();
        Weights dense = WeightInitializer.initialize(spec, 4);
        PruningGroups groups = PruningGroups.of(spec, Structure.Unit.BLOCKS);
        MaskSet masks = groups.select(SELECTOR, constant(spec, 0.7f, 1f), List.of("block1", "block2"),
                MaskSet.empty(), 0.5, Scope.GLOBAL);
        Compacted result = groups.compact(ChannelCompactionTest.applied(dense, masks), masks);
        assertThat(result.removed()).containsExactly(Map.entry("block2", 1));
        assertThat(result.spec().layers()).extracting(LayerSpec::name).containsExactly("emb", "block1", "head");
        assertThat(result.masks().asMap()).allSatisfy((name, mask) -> assertThat(name).doesNotStartWith("block2."));
        for (String name : result.spec().parameters().keySet()) {
            assertThat(result.weights().get(name).data()).as(name).containsExactly(dense.get(name).data());
        }
        assertThat(result.spec().trainableParameterCount())
                .isEqualTo(spec.trainableParameterCount() - (4 * 8 + 3 * 64 + 3 * 8 + 64 + 8 + 128 + 16 + 128 + 8));
    }

    @Test
    void aBlockWhoseParametersAreNotZeroIsNotRemoved() {
        ModelSpec spec = gpt();
        MaskSet masks = PruningGroups.of(spec, Structure.Unit.BLOCKS).select(SELECTOR, constant(spec, 0.7f, 1f),
                List.of("block1", "block2"), MaskSet.empty(), 0.5, Scope.GLOBAL);
        assertThatThrownBy(() -> PruningGroups.of(spec, Structure.Unit.BLOCKS)
                .compact(WeightInitializer.initialize(spec, 4), masks))
                .isInstanceOf(BonsaiException.class).hasMessageContaining("block 'block2' is pruned")
                .hasMessageContaining("change the model's outputs");
    }

    /** in → res1 (dense, relu, dense) → res2 (dense, relu, dense) → res3 (dense, sigmoid) → head. */
    private static ModelSpec residualMlp() {
        return new ModelSpec("res-mlp", Shape.of(4), List.of(new LayerSpec.Dense("in", 6, true),
                new LayerSpec.Residual("res1", List.of(new LayerSpec.Dense("res1.fc", 5, true),
                        new LayerSpec.Activate("res1.relu", Activation.RELU),
                        new LayerSpec.Dense("res1.out", 6, true))),
                new LayerSpec.Residual("res2", List.of(new LayerSpec.Dense("res2.fc", 5, true),
                        new LayerSpec.Activate("res2.relu", Activation.RELU), new LayerSpec.Dense("res2.out", 6, true),
                        new LayerSpec.Dropout("res2.drop", 0.1))),
                new LayerSpec.Residual("res3", List.of(new LayerSpec.Dense("res3.fc", 6, true),
                        new LayerSpec.Activate("res3.sig", Activation.SIGMOID))),
                new LayerSpec.Dense("head", 3, true)));
    }

    @Test
    void residualBlocksWhoseZeroedBranchEmitsZeroAreRemovedWithoutChangingTheOutputs() {
        ModelSpec spec = residualMlp();
        PruningGroups groups = PruningGroups.of(spec, Structure.Unit.BLOCKS);
        assertThat(groups.layers()).containsOnlyKeys("res1", "res2");
        assertThat(groups.excluded()).containsOnlyKeys("res3");
        assertThat(groups.excluded().get("res3")).contains("'res3.sig' (sigmoid)").contains("maps 0 to 0.5");

        Weights dense = WeightInitializer.initialize(spec, 8);
        Map<String, float[]> scores = new LinkedHashMap<>();
        for (ParameterSpec p : spec.parameters().values()) {
            float[] s = new float[Math.toIntExact(p.size())];
            Arrays.fill(s, p.name().startsWith("res1.") ? 2 : 1);
            scores.put(p.name(), s);
        }
        // res1 and res2 hold 6·5 + 5·6 = 60 weights each: res2's sum (60) is below res1's (120)
        MaskSet masks = groups.select(SELECTOR, new Scores(scores), List.of("res1", "res2"), MaskSet.empty(), 0.5,
                Scope.GLOBAL);
        Weights masked = ChannelCompactionTest.applied(dense, masks);
        Compacted result = groups.compact(masked, masks);
        assertThat(result.spec().layers()).extracting(LayerSpec::name).containsExactly("in", "res1", "res3", "head");
        ChannelCompactionTest.assertSameOutputs(spec, masked, result.spec(), result.weights(), 3);
    }
}
