package dev.bonsai.strategies.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
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
    void greedyGenerationFollowsTheModelThroughAMovingWindow() {
        int[] prompt = {3, 1, 4, 1, 5, 2};
        int length = 9;
        for (int keep : new int[] {4, 2, 1}) {
            PrefixNetwork network = new PrefixNetwork(4, 7, 10f);
            int[] generated = new Generator(network, keep).generate(List.of(prompt), length, new Sampling(0, 0), 1, 8,
                    n -> {
                    }).get(0);

            // independently: the window starts at the prompt's last 4 tokens and grows; when it would hold 5 it
            // moves on to its last `keep` tokens; the model favours the sum of the window
            int[] all = Arrays.copyOf(prompt, prompt.length + length);
            int start = prompt.length - 4;
            for (int i = prompt.length; i < all.length; i++) {
                if (i - start > 4) {
                    start = i - keep;
                }
                all[i] = network.favourite(Arrays.copyOfRange(all, start, i));
            }
            assertThat(generated).as("keep %d", keep).containsExactly(Arrays.copyOfRange(all, prompt.length,
                    all.length));
            assertThat(network.calls).isEqualTo(length);
        }
        assertThat(new Generator(new PrefixNetwork(4, 7, 10f)).keep()).isEqualTo(2);

        int[] shortPrompt = {2};
        int[] fromShort = new Generator(new PrefixNetwork(4, 7, 10f)).generate(List.of(shortPrompt), 2,
                new Sampling(0, 0), 1, 8, n -> {
                }).get(0);
        assertThat(fromShort).containsExactly(2, 4);
        assertThatThrownBy(() -> new Generator(new PrefixNetwork(4, 7, 10f), 5)).hasMessageContaining("1 to 4");
    }

    @Test
    void theKeyValueCacheGivesTheSameTextAndPrimesOnlyWhenTheWindowMoves() {
        List<int[]> prompts = IntStream.range(0, 6).mapToObj(i -> new int[] {i, (5 * i) % 11, 3}).toList();
        Sampling sampling = new Sampling(1.0, 3);
        for (int keep : new int[] {5, 3}) {
            PrefixNetwork plain = new PrefixNetwork(5, 11, 2f, false);
            PrefixNetwork cached = new PrefixNetwork(5, 11, 2f, true);
            List<int[]> a = new Generator(plain, keep).generate(prompts, 20, sampling, 9, 4, n -> {
            });
            List<int[]> b = new Generator(cached, keep).generate(prompts, 20, sampling, 9, 4, n -> {
            });
            for (int s = 0; s < prompts.size(); s++) {
                assertThat(b.get(s)).as("stream %d, keep %d", s, keep).containsExactly(a.get(s));
            }
            assertThat(cached.calls).as("no window forward passes").isZero();
            // a window of 3 grows to 5 in 2 tokens, then moves on at every (5 - keep + 1)-th of the 17 tokens left,
            // and each move primes the decoder again
            int moves = keep == 5 ? 17 : 6;
            assertThat(cached.primes).as("primes per group, keep %d", keep).isEqualTo(2 * (1 + moves));
        }

        // prompts of different lengths in one group: the window forward passes, with the same text
        List<int[]> mixed = List.of(new int[] {1, 2}, new int[] {3});
        PrefixNetwork cached = new PrefixNetwork(5, 11, 2f, true);
        List<int[]> viaWindows = new Generator(cached).generate(mixed, 12, sampling, 4, 2, n -> {
        });
        assertThat(cached.calls).isEqualTo(12);
        List<int[]> oneByOne = new Generator(cached).generate(mixed, 12, sampling, 4, 1, n -> {
        });
        assertThat(cached.primes).isPositive();
        for (int s = 0; s < 2; s++) {
            assertThat(oneByOne.get(s)).containsExactly(viaWindows.get(s));
        }
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
        ModelSpec decoder = new ModelSpec("decoder", Shape.of(4), List.of(new LayerSpec.Embedding("embed", 5, 4),
                new LayerSpec.DecoderBlock("blocks.0", true, 1e-5, new LayerSpec.Attention("attn", 2, 1, 2, 1e4,
                        false, false), new LayerSpec.FeedForward("mlp", 6, dev.bonsai.api.model.Activation.SILU,
                        true, false)), new LayerSpec.RmsNorm("norm", 1e-5),
                new LayerSpec.TiedOutput("head", "embed", 5)));
        assertThatCode(() -> Generator.checkCausal(decoder)).as("a pretrained-style decoder is causal")
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> new Sampling(-1, 0)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new Sampling(1, -2)).hasMessageContaining("top-k");
    }
}
