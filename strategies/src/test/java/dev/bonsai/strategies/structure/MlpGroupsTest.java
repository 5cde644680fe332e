package dev.bonsai.strategies.structure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.strategies.selection.MaskSelector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** MLP hidden units as pruning groups: their slices, their selection, and the spec and weights after removal. */
class MlpGroupsTest {
    private static final int WIDTH = 8;
    private static final int HIDDEN = 2 * WIDTH;

    /** Two transformer blocks of width 8 with a 2× MLP (16 hidden units each). */
    static ModelSpec gpt() {
        return new ModelSpec("tiny-gpt", Shape.of(4), List.of(new LayerSpec.Embedding("emb", 5, WIDTH),
                new LayerSpec.TransformerBlock("block1", 2, 2, 0), new LayerSpec.TransformerBlock("block2", 2, 2, 0),
                new LayerSpec.Dense("head", 5, false)));
    }

    /** Random scores for every parameter. */
    static Scores randomScores(ModelSpec spec, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, float[]> out = new LinkedHashMap<>();
        spec.parameters().values().forEach(p -> {
            float[] s = new float[Math.toIntExact(p.size())];
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) r.nextDouble();
            }
            out.put(p.name(), s);
        });
        return new Scores(out);
    }

    @Test
    void aUnitIsARowAndBiasOfTheFirstDenseLayerAndAColumnOfTheSecond() {
        PruningGroups groups = PruningGroups.of(gpt(), Structure.Unit.MLP);
        assertThat(groups.layers()).containsOnlyKeys("block1.fc", "block2.fc");
        assertThat(groups.layers().get("block1.fc")).hasSize(HIDDEN);
        PruningGroup unit = groups.layers().get("block2.fc").get(3);
        assertThat(unit.marker()).containsExactly(Slice.of("block2.fc.weight", 0, 3));
        assertThat(unit.scored()).containsExactly(Slice.of("block2.fc.weight", 0, 3),
                Slice.of("block2.proj.weight", 1, 3));
        assertThat(unit.masked()).containsExactly(Slice.of("block2.fc.weight", 0, 3), Slice.of("block2.fc.bias", 0, 3),
                Slice.of("block2.proj.weight", 1, 3));
        assertThat(unit.removed()).isEqualTo(unit.masked());
        assertThat(groups.scoredParameters("block1.fc")).containsExactly("block1.fc.weight", "block1.proj.weight");
    }

    @Test
    void layerwiseSelectionRemovesTheUnitsOfLowestMeanScoreAndMasksAllTheirSlices() {
        ModelSpec spec = gpt();
        Scores scores = randomScores(spec, 7);
        MaskSet masks = PruningGroups.of(spec, Structure.Unit.MLP).select(new MaskSelector(), scores,
                List.of("block1.fc", "block2.fc"), MaskSet.empty(), 0.25, Scope.LAYERWISE);
        for (String block : List.of("block1", "block2")) {
            Set<Integer> expected = lowestMeans(scores, block, 4);
            Mask fc = masks.get(block + ".fc.weight").orElseThrow();
            Mask bias = masks.get(block + ".fc.bias").orElseThrow();
            Mask proj = masks.get(block + ".proj.weight").orElseThrow();
            for (int j = 0; j < HIDDEN; j++) {
                boolean gone = expected.contains(j);
                assertThat(bias.kept(j)).isEqualTo(!gone);
                for (int c = 0; c < WIDTH; c++) {
                    assertThat(fc.kept(j * WIDTH + c)).isEqualTo(!gone);
                    assertThat(proj.kept(c * HIDDEN + j)).isEqualTo(!gone);
                }
            }
            assertThat(fc.prunedCount()).isEqualTo(4 * WIDTH);
        }
        assertThat(masks.get("block1.proj.bias")).isEmpty();
        assertThat(masks.get("block1.attn.qkv.weight")).isEmpty();
    }

    /** The {@code count} units of {@code block} of lowest mean score over fc row and proj column, computed here. */
    private static Set<Integer> lowestMeans(Scores scores, String block, int count) {
        float[] fc = scores.asMap().get(block + ".fc.weight");
        float[] proj = scores.asMap().get(block + ".proj.weight");
        double[] mean = new double[HIDDEN];
        for (int j = 0; j < HIDDEN; j++) {
            double sum = 0;
            for (int c = 0; c < WIDTH; c++) {
                sum += fc[j * WIDTH + c] + proj[c * HIDDEN + j];
            }
            mean[j] = sum / (2 * WIDTH);
        }
        return IntStream.range(0, HIDDEN).boxed().sorted(Comparator.comparingDouble(j -> mean[j])).limit(count)
                .collect(Collectors.toSet());
    }

    @Test
    void compactionWritesTheBlockOutAsItsBranchesWithANarrowerMlpAndSlicesTheWeights() {
        ModelSpec spec = gpt();
        Weights dense = WeightInitializer.initialize(spec, 3);
        PruningGroups groups = PruningGroups.of(spec, Structure.Unit.MLP);
        MaskSet masks = groups.select(new MaskSelector(), randomScores(spec, 11), List.of("block1.fc"),
                MaskSet.empty(), 0.25, Scope.LAYERWISE);
        Weights masked = ChannelCompactionTest.applied(dense, masks);
        int[] kept = IntStream.range(0, HIDDEN).filter(j -> masks.get("block1.fc.bias").orElseThrow().kept(j))
                .toArray();
        assertThat(kept).hasSize(12);

        Compacted result = groups.compact(masked, masks);

        assertThat(result.removed()).containsExactly(Map.entry("block1.fc", 4));
        List<String> names = result.spec().layers().stream().map(LayerSpec::name).toList();
        assertThat(names).containsExactly("emb", "block1.attn_branch", "block1.mlp_branch", "block2", "head");
        LayerSpec.Residual mlp = (LayerSpec.Residual) result.spec().layers().get(2);
        assertThat(mlp.body()).containsExactly(new LayerSpec.LayerNorm("block1.ln2", 1e-5),
                new LayerSpec.Dense("block1.fc", 12, true), new LayerSpec.Activate("block1.gelu", Activation.GELU),
                new LayerSpec.Dense("block1.proj", WIDTH, true));
        assertThat(result.spec().parameters().keySet()).containsExactlyInAnyOrderElementsOf(
                spec.parameters().keySet());
        assertThat(spec.trainableParameterCount() - result.spec().trainableParameterCount())
                .isEqualTo(4 * (WIDTH + 1 + WIDTH));
        float[] fc = masked.get("block1.fc.weight").data();
        float[] fcSmall = result.weights().get("block1.fc.weight").data();
        float[] proj = masked.get("block1.proj.weight").data();
        float[] projSmall = result.weights().get("block1.proj.weight").data();
        for (int k = 0; k < kept.length; k++) {
            assertThat(result.weights().get("block1.fc.bias").data()[k])
                    .isEqualTo(masked.get("block1.fc.bias").data()[kept[k]]);
            for (int c = 0; c < WIDTH; c++) {
                assertThat(fcSmall[k * WIDTH + c]).isEqualTo(fc[kept[k] * WIDTH + c]);
                assertThat(projSmall[c * kept.length + k]).isEqualTo(proj[c * HIDDEN + kept[k]]);
            }
        }
        assertThat(result.weights().get("block2.fc.weight").data()).containsExactly(
                masked.get("block2.fc.weight").data());
        assertThat(result.masks().isEmpty()).as("only whole units were pruned").isTrue();
    }

    @Test
    void gatedFeedForwardUnitsSpanGateUpAndDownAndCompactionNarrowsTheDecoderBlock() {
        ModelSpec spec = new ModelSpec("tiny-llama", Shape.of(4), List.of(new LayerSpec.Embedding("emb", 5, WIDTH),
                new LayerSpec.DecoderBlock("layer0", true, 1e-5,
                        new LayerSpec.Attention("attn", 2, 1, 4, 10000, false, false),
                        new LayerSpec.FeedForward("mlp", 12, Activation.SILU, true, false)),
                new LayerSpec.Dense("head", 5, false)));
        PruningGroups groups = PruningGroups.of(spec, Structure.Unit.MLP);
        assertThat(groups.layers()).containsOnlyKeys("layer0.mlp");
        PruningGroup unit = groups.layers().get("layer0.mlp").get(5);
        assertThat(unit.marker()).containsExactly(Slice.of("layer0.mlp.gate.weight", 0, 5),
                Slice.of("layer0.mlp.up.weight", 0, 5));
        assertThat(unit.masked()).containsExactly(Slice.of("layer0.mlp.gate.weight", 0, 5),
                Slice.of("layer0.mlp.up.weight", 0, 5), Slice.of("layer0.mlp.down.weight", 1, 5));

        Weights dense = WeightInitializer.initialize(spec, 5);
        MaskSet masks = groups.select(new MaskSelector(), randomScores(spec, 2), List.of("layer0.mlp"),
                MaskSet.empty(), 0.25, Scope.LAYERWISE);
        Weights masked = ChannelCompactionTest.applied(dense, masks);
        List<Integer> kept = new ArrayList<>();
        for (int j = 0; j < 12; j++) {
            if (masks.get("layer0.mlp.up.weight").orElseThrow().kept(j * WIDTH)) {
                kept.add(j);
            }
        }
        Compacted result = groups.compact(masked, masks);

        LayerSpec.DecoderBlock block = (LayerSpec.DecoderBlock) result.spec().layers().get(1);
        assertThat(block.mlp().hidden()).isEqualTo(9).isEqualTo(kept.size());
        assertThat(block.attention()).isEqualTo(((LayerSpec.DecoderBlock) spec.layers().get(1)).attention());
        assertThat(result.spec().parameter("layer0.mlp.down.weight").shape()).isEqualTo(Shape.of(WIDTH, 9));
        for (String p : List.of("gate", "up")) {
            float[] big = masked.get("layer0.mlp." + p + ".weight").data();
            float[] small = result.weights().get("layer0.mlp." + p + ".weight").data();
            for (int k = 0; k < kept.size(); k++) {
                for (int c = 0; c < WIDTH; c++) {
                    assertThat(small[k * WIDTH + c]).isEqualTo(big[kept.get(k) * WIDTH + c]);
                }
            }
        }
        float[] down = masked.get("layer0.mlp.down.weight").data();
        float[] downSmall = result.weights().get("layer0.mlp.down.weight").data();
        for (int r = 0; r < WIDTH; r++) {
            for (int k = 0; k < kept.size(); k++) {
                assertThat(downSmall[r * 9 + k]).isEqualTo(down[r * 12 + kept.get(k)]);
            }
        }
    }
}
