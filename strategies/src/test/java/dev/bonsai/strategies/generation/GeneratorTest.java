package dev.bonsai.strategies.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.strategies.support.PrefixNetwork;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Sampling against hand-computed distributions, and generation's windows, seeds and refusals. */
class GeneratorTest {
    private static final float[] LOGITS = {0f, (float) Math.log(2), (float) Math.log(3)};

    @Test
    void probabilitiesAreTheTemperedSoftmaxOfTheTopK() {
        assertThat(new Sampling(1, 0).probabilities(LOGITS, 0, 3))
                .containsExactly(new double[] {1 / 6.0, 2 / 6.0, 3 / 6.0}, within(1e-7));
        double z = 1 + Math.sqrt(2) + Math.sqrt(3);
        assertThat(new Sampling(2, 0).probabilities(LOGITS, 0, 3))
                .containsExactly(new double[] {1 / z, Math.sqrt(2) / z, Math.sqrt(3) / z}, within(1e-7));
        assertThat(new Sampling(1, 2).probabilities(LOGITS, 0, 3))
                .containsExactly(new double[] {0, 2 / 5.0, 3 / 5.0}, within(1e-7));
        assertThat(new Sampling(0, 0).probabilities(LOGITS, 0, 3)).containsExactly(0, 0, 1);
        float[] shifted = {9f, 9f, 0f, (float) Math.log(2), (float) Math.log(3)};
        assertThat(new Sampling(1, 0).probabilities(shifted, 2, 3))
                .containsExactly(new double[] {1 / 6.0, 2 / 6.0, 3 / 6.0}, within(1e-7));
    }

    @Test
    void drawsFollowTheDistribution() {
        Sampling sampling = new Sampling(1, 0);
        SplittableRandom random = new SplittableRandom(3);
        int[] counts = new int[3];
        int n = 60_000;
        for (int i = 0; i < n; i++) {
            counts[sampling.draw(LOGITS, 0, 3, random)]++;
        }
        // each frequency within 5 standard errors of its probability
        double[] p = {1 / 6.0, 2 / 6.0, 3 / 6.0};
        for (int i = 0; i < 3; i++) {
            assertThat((double) counts[i] / n).isCloseTo(p[i], within(5 * Math.sqrt(p[i] * (1 - p[i]) / n)));
        }
        int[] top1 = new int[3];
        for (int i = 0; i < 1000; i++) {
            top1[new Sampling(5, 1).draw(LOGITS, 0, 3, random)]++;
        }
        assertThat(top1).containsExactly(0, 0, 1000);
    }

    @Test
    void greedyGenerationFollowsTheModelThroughASlidingWindow() {
        PrefixNetwork network = new PrefixNetwork(4, 7, 10f);
        int[] prompt = {3, 1, 4, 1, 5, 2};
        int length = 9;

        int[] generated = new Generator(network).generate(List.of(prompt), length, new Sampling(0, 0), 1, 8, n -> {
        }).get(0);

        // independently: the last 4 tokens (or all, when shorter) are the window, and the model favours their sum
        int[] all = Arrays.copyOf(prompt, prompt.length + length);
        for (int i = prompt.length; i < all.length; i++) {
            all[i] = network.favourite(Arrays.copyOfRange(all, Math.max(0, i - 4), i));
        }
        assertThat(generated).containsExactly(Arrays.copyOfRange(all, prompt.length, all.length));
        assertThat(network.calls).isEqualTo(length);

        int[] shortPrompt = {2};
        int[] fromShort = new Generator(network).generate(List.of(shortPrompt), 2, new Sampling(0, 0), 1, 8, n -> {
        }).get(0);
        assertThat(fromShort).containsExactly(2, 4);
    }

    @Test
    void aSeedGivesTheSameTokensWhateverTheBatching() {
        PrefixNetwork network = new PrefixNetwork(5, 11, 2f);
        List<int[]> prompts = IntStream.range(0, 7).mapToObj(i -> new int[] {i, (3 * i) % 11}).toList();
        Generator generator = new Generator(network);
        Sampling sampling = new Sampling(1.0, 0);

        List<int[]> a = generator.generate(prompts, 30, sampling, 42, 7, n -> {
        });
        List<int[]> b = generator.generate(prompts, 30, sampling, 42, 3, n -> {
        });
        List<int[]> c = generator.generate(prompts, 30, sampling, 43, 7, n -> {
        });
        List<int[]> first = generator.generate(prompts.subList(0, 1), 30, sampling, 42, 1, n -> {
        });

        assertThat(a).hasSize(7).allSatisfy(t -> assertThat(t).hasSize(30));
        for (int s = 0; s < 7; s++) {
            assertThat(b.get(s)).containsExactly(a.get(s));
        }
        assertThat(first.get(0)).containsExactly(a.get(0));
        assertThat(IntStream.range(0, 7).anyMatch(s -> !Arrays.equals(a.get(s), c.get(s)))).isTrue();
    }

    @Test
    void progressCountsEveryToken() {
        int[] last = {0};
        new Generator(new PrefixNetwork(4, 5, 1f)).generate(List.of(new int[] {1}, new int[] {2}, new int[] {3}), 6,
                new Sampling(1, 0), 1, 2, n -> last[0] = n);
        assertThat(last[0]).isEqualTo(18);
    }

    @Test
    void badPromptsAndNonCausalModelsAreRefused() {
        Generator generator = new Generator(new PrefixNetwork(4, 5, 1f));
        assertThatThrownBy(() -> generator.generate(List.of(new int[0]), 3, new Sampling(1, 0), 1, 1, n -> {
        })).isInstanceOf(BonsaiException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> generator.generate(List.of(new int[] {5}), 3, new Sampling(1, 0), 1, 1, n -> {
        })).isInstanceOf(BonsaiException.class).hasMessageContaining("outside the model's vocabulary of 5");

        ModelSpec classifier = new ModelSpec("mlp", Shape.of(8), List.of(new LayerSpec.Dense("fc", 3, true)));
        assertThatThrownBy(() -> Generator.checkCausal(classifier)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining("[T] token ids");
        ModelSpec mixing = new ModelSpec("mix", Shape.of(4), List.of(new LayerSpec.Embedding("emb", 5, 2),
                new LayerSpec.Flatten("flat"), new LayerSpec.Dense("fc", 20, true)));
        assertThatThrownBy(() -> Generator.checkCausal(mixing)).isInstanceOf(BonsaiException.class);
        assertThatThrownBy(() -> new Sampling(-1, 0)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new Sampling(1, -2)).hasMessageContaining("top-k");
    }
}
