package dev.bonsai.datasets.text;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.data.Tokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * Token streams and the windows of the perplexity protocol of language-model papers (GPTQ, SparseGPT, Wanda): a
 * stream is cut into windows of {@code context} tokens; each window is fed to the model on its own from position 0,
 * and token t+1 is predicted from tokens 0..t, which gives {@code context − 1} predictions per window.
 *
 * <p>As a {@link Split} a window is a sample of {@code context − 1} input tokens (its first {@code context − 1}),
 * labelled at each position with the next token: its last token is only ever a label. {@link #evaluation} places
 * the windows end to end from the stream's start and drops the incomplete tail (GPTQ's {@code numel // seqlen}
 * windows); {@link #calibration} starts one every {@code stride} tokens, so that a seeded draw of calibration
 * windows may start anywhere a full window fits.
 */
public final class PerplexityWindows {
    private PerplexityWindows() {
    }

    /** The stream of {@code documents}: each one's BOS (where the tokenizer has one) and its tokens, concatenated. */
    public static int[] stream(List<String> documents, Tokenizer tokenizer) {
        int[][] encoded = new int[documents.size()][];
        long total = 0;
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = withBos(tokenizer.encode(documents.get(i)), tokenizer);
            total += encoded[i].length;
        }
        int[] out = new int[Math.toIntExact(total)];
        int at = 0;
        for (int[] e : encoded) {
            System.arraycopy(e, 0, out, at, e.length);
            at += e.length;
        }
        return out;
    }

    /** {@code ids} after the tokenizer's BOS, or {@code ids} itself when it has none. */
    public static int[] withBos(int[] ids, Tokenizer tokenizer) {
        if (tokenizer.bos().isEmpty()) {
            return ids;
        }
        int[] out = new int[ids.length + 1];
        out[0] = tokenizer.bos().getAsInt();
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    }

    /**
     * The window length in effect: {@code requested}, or the model's context when it is absent (0).
     *
     * @throws BonsaiException when it is below 2 (no prediction) or longer than the model's context
     */
    public static int context(int requested, int modelContext, String dataset) {
        int context = requested > 0 ? requested : modelContext;
        if (context < 2) {
            throw new BonsaiException("dataset '" + dataset + "': a window of " + context + " tokens makes no "
                    + "prediction; set context to at least 2");
        }
        if (context > modelContext) {
            throw new BonsaiException("dataset '" + dataset + "': windows of " + context + " tokens are longer than "
                    + "the model's context of " + modelContext + " tokens; set context to at most " + modelContext);
        }
        return context;
    }

    /** The number of evaluation windows of {@code context} tokens in a stream of {@code tokens}. */
    public static int evaluationWindows(int tokens, int context) {
        return tokens / context;
    }

    /**
     * The evaluation windows of {@code stream}: end to end from 0, the incomplete tail dropped, each with
     * {@code context − 1} predictions.
     *
     * @throws BonsaiException when the stream is shorter than one window
     */
    public static Split evaluation(String name, int[] stream, int context, String what) {
        check(name, stream, context, what);
        int windows = evaluationWindows(stream.length, context);
        return Split.ofTokenWindows(name, Arrays.copyOf(stream, windows * context), context - 1, context);
    }

    /**
     * Windows of {@code context} tokens of {@code stream} starting every {@code stride} tokens from 0, as long as
     * a whole window fits: with stride 1, one at each of the {@code stream.length − context + 1} starts.
     *
     * @throws BonsaiException when the stream is shorter than one window
     */
    public static Split calibration(String name, int[] stream, int context, int stride, String what) {
        check(name, stream, context, what);
        return Split.ofTokenWindows(name, stream, context - 1, stride);
    }

    private static void check(String name, int[] stream, int context, String what) {
        if (stream.length < context) {
            throw new BonsaiException(what + ": the " + name + " split has " + stream.length + " tokens, fewer than "
                    + "one window of " + context + "; use a smaller context");
        }
    }

    /**
     * The protocol in words: {@code "non-overlapping windows of 256 tokens from position 0, tail dropped, each
     * scored from position 0 with 255 predictions"}.
     */
    public static String describeEvaluation(int context) {
        return "non-overlapping windows of " + context + " tokens from the stream's start, the incomplete tail "
                + "dropped, each scored on its own from position 0 with " + (context - 1) + " predictions";
    }
}
