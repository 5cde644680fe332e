package dev.bonsai.experiments.sample;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.engine.Network;
import dev.bonsai.datasets.text.TextCodec;
import dev.bonsai.strategies.generation.Generator;
import dev.bonsai.strategies.generation.Sampling;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Seeded text samples from a language model: the prompt encoded with the model's vocabulary, continued by the
 * {@link Generator}, decoded back to text.
 */
public final class TextSampler {
    private static final Logger LOG = LogManager.getLogger(TextSampler.class);
    private static final int BATCH = 16;

    private TextSampler() {
    }

    /**
     * {@code count} samples of {@code length} new tokens each after {@code prompt}; sample i uses the generator's
     * stream i of {@code seed}, so sample 1 of a seed is the same whether 1 or 5 samples are asked for.
     *
     * @param network    a causal language model
     * @param vocabulary its tokens by id
     * @param prompt     the text to continue; empty for the start of a line
     * @return each sample's text, after the prompt as the vocabulary spells it (unknown words as {@code <unk>})
     * @throws BonsaiException when the network is not a language model or the prompt cannot be encoded
     */
    public static List<String> sample(Network network, List<String> vocabulary, String prompt, int count, int length,
            Sampling sampling, long seed) {
        return sample(network, vocabulary, prompt, count, length, sampling, seed, true);
    }

    /**
     * {@link #sample(Network, List, String, int, int, Sampling, long)}, with or without the network's key/value cache
     * (the same text either way; without, each token costs a forward pass over the whole window).
     */
    public static List<String> sample(Network network, List<String> vocabulary, String prompt, int count, int length,
            Sampling sampling, long seed, boolean cache) {
        TextCodec codec = new TextCodec(vocabulary);
        Generator generator = cache ? new Generator(network) : new Generator(network).withoutCache();
        if (generator.vocabulary() != vocabulary.size()) {
            throw new BonsaiException("the model has " + generator.vocabulary() + " outputs per position but its "
                    + "vocabulary " + vocabulary.size() + " tokens");
        }
        int[] ids = prompt.isEmpty() ? startOfLine(codec) : codec.encode(prompt);
        if (ids.length == 0) {
            throw new BonsaiException("the prompt '" + prompt + "' holds no token of the vocabulary");
        }
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            prompts.add(ids);
        }
        long t0 = System.nanoTime();
        List<int[]> generated = generator.generate(prompts, length, sampling, seed, BATCH, n -> {
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        LOG.info("generated {} × {} tokens in {} s ({} tokens/s)", count, length, String.format("%.2f", seconds),
                String.format("%.0f", count * length / Math.max(seconds, 1e-9)));
        List<String> out = new ArrayList<>();
        for (int[] g : generated) {
            int[] text = g;
            if (!prompt.isEmpty()) {
                text = java.util.Arrays.copyOf(ids, ids.length + g.length);
                System.arraycopy(g, 0, text, ids.length, g.length);
            }
            out.add(codec.decode(text));
        }
        return out;
    }

    private static int[] startOfLine(TextCodec codec) {
        return new int[] {codec.lineBreak().orElseThrow(() -> new BonsaiException(
                "the vocabulary has no line break to start from; give a prompt"))};
    }
}
