package dev.bonsai.experiments.bench;

import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.engine.Evaluation;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Weights;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Times a pretrained language model's evaluation of test windows as a run evaluates them (whole windows in batches,
 * no gradients): one warm-up pass over the first windows, then {@code repeats} timed passes over all of them, the
 * fastest counting. Throughput counts the tokens fed through the model, windows × window tokens, as the PyTorch
 * peer counts them.
 */
public final class PretrainedEvaluation {
    /** Windows of the untimed warm-up pass (fewer when the split has fewer). */
    static final int WARM_UP_WINDOWS = 8;
    private static final Logger LOG = LogManager.getLogger(PretrainedEvaluation.class);

    private PretrainedEvaluation() {
    }

    /**
     * What one engine measured.
     *
     * @param tokensPerSecond windows × window tokens per second of the fastest pass
     * @param perplexity      e to the mean cross-entropy over every prediction of the windows
     * @param windows         the windows evaluated
     * @param predictions     the predictions the cross-entropy is the mean over
     * @param batch           windows per forward pass
     */
    public record Result(double tokensPerSecond, double perplexity, int windows, long predictions, int batch) {
    }

    /**
     * Evaluates {@code windows} with the model on {@code runtime}'s {@code device}.
     *
     * @param windowTokens the tokens a window spans (its predictions and the last input, the dataset's context)
     * @param batch        windows per forward pass
     */
    public static Result measure(EngineRuntime runtime, String device, ModelSpec spec, Weights weights, Split windows,
            int windowTokens, int batch, int repeats) {
        if (windows.size() == 0 || repeats < 1 || batch < 1) {
            throw new IllegalArgumentException("windows, repeats and batch must be positive: " + windows.size()
                    + ", " + repeats + ", " + batch);
        }
        try (Network network = runtime.build(spec, weights, device)) {
            network.evaluate(first(windows, Math.min(WARM_UP_WINDOWS, windows.size())), batch);
            double best = Double.POSITIVE_INFINITY;
            Evaluation evaluation = null;
            for (int r = 0; r < repeats; r++) {
                long start = System.nanoTime();
                evaluation = network.evaluate(windows, batch);
                best = Math.min(best, (System.nanoTime() - start) / 1e9);
            }
            long tokens = (long) windows.size() * windowTokens;
            LOG.info("{} on {}: {} windows of {} tokens in {} s at best of {}: {} tokens/s, perplexity {}",
                    runtime.engineId(), device, windows.size(), windowTokens, best, repeats, tokens / best,
                    Math.exp(evaluation.loss()));
            return new Result(tokens / best, Math.exp(evaluation.loss()), windows.size(),
                    (long) windows.size() * windows.labelsPerSample(), batch);
        }
    }

    /** The first {@code count} windows of {@code windows} (all of them when {@code count} is its size). */
    public static Split first(Split windows, int count) {
        if (count == windows.size()) {
            return windows;
        }
        int[] indices = new int[count];
        for (int i = 0; i < count; i++) {
            indices[i] = i;
        }
        return windows.subset(windows.name() + "-first-" + count, indices);
    }
}
