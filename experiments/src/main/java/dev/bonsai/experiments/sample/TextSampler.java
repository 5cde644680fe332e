package dev.bonsai.experiments.sample;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Tokenizer;
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
        int[] ids = prompt.isEmpty() ? startOfLine(codec) : codec.encode(prompt);
        if (ids.length == 0) {
            throw new BonsaiException("the prompt '" + prompt + "' holds no token of the vocabulary");
        }
        List<int[]> generated = continuations(network, vocabulary.size(), "vocabulary", ids, count, length, sampling,
                seed, cache);
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

    /**
     * {@code count} samples of {@code length} new tokens each, with a pretrained model's own tokenizer: the model
     * reads its beginning-of-sequence token (where it has one) and then the prompt's tokens, as llama2.c's
     * {@code run.c} and Hugging Face's generation start. Sample i uses the generator's stream i of {@code seed}.
     *
     * @param network   a causal language model whose outputs are the tokenizer's ids
     * @param tokenizer the model's tokenizer
     * @param prompt    the text to continue; empty to start from the beginning-of-sequence token alone
     * @param cache     whether to decode with the network's key/value cache (the same text either way)
     * @return each sample's text, the prompt included, as the tokenizer decodes it
     * @throws BonsaiException when the network's outputs are not the tokenizer's ids, or there is nothing to start
     *                         from
     */
    public static List<String> sample(Network network, Tokenizer tokenizer, String prompt, int count, int length,
            Sampling sampling, long seed, boolean cache) {
        int[] ids = start(tokenizer, prompt);
        List<int[]> generated = continuations(network, tokenizer.vocabularySize(), "tokenizer", ids, count, length,
                sampling, seed, cache);
        List<String> out = new ArrayList<>();
        for (int[] g : generated) {
            // prompt and continuation are decoded together: decoded alone, a continuation would lose the space
            // the tokenizer drops at the start of a text
            int[] text = java.util.Arrays.copyOf(ids, ids.length + g.length);
            System.arraycopy(g, 0, text, ids.length, g.length);
            out.add(tokenizer.decode(text));
        }
        return out;
    }

    /** {@code count} continuations of {@code ids}, each {@code length} new tokens; sample i uses stream i of seed. */
    private static List<int[]> continuations(Network network, int vocabulary, String what, int[] ids, int count,
            int length, Sampling sampling, long seed, boolean cache) {
        Generator generator = cache ? new Generator(network) : new Generator(network).withoutCache();
        if (generator.vocabulary() != vocabulary) {
            throw new BonsaiException("the model has " + generator.vocabulary() + " outputs per position but its "
                    + what + " " + vocabulary + " tokens");
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
        return generated;
    }

    /** The ids generation starts from: BOS (where the tokenizer has one), then the prompt's tokens. */
    public static int[] start(Tokenizer tokenizer, String prompt) {
        int[] encoded = prompt.isEmpty() ? new int[0] : tokenizer.encode(prompt);
        java.util.OptionalInt bos = tokenizer.bos();
        int[] ids = new int[encoded.length + (bos.isPresent() ? 1 : 0)];
        if (bos.isPresent()) {
            ids[0] = bos.getAsInt();
        }
        System.arraycopy(encoded, 0, ids, ids.length - encoded.length, encoded.length);
        if (ids.length == 0) {
            throw new BonsaiException("the tokenizer has no beginning-of-sequence token and the prompt '" + prompt
                    + "' no tokens: give a prompt");
        }
        return ids;
    }

    private static int[] startOfLine(TextCodec codec) {
        return new int[] {codec.lineBreak().orElseThrow(() -> new BonsaiException(
                "the vocabulary has no line break to start from; give a prompt"))};
    }
}
