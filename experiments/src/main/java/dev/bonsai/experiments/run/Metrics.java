package dev.bonsai.experiments.run;

import dev.bonsai.api.engine.Evaluation;
import java.util.Map;

/** The metric names of an evaluation, as trial records store them. */
final class Metrics {
    private static final double LN_2 = Math.log(2);

    private Metrics() {
    }

    /**
     * Puts {@code <prefix>accuracy} and {@code <prefix>loss} (mean cross-entropy, nats); for a classifier also
     * {@code <prefix>errors} (misclassified samples, as papers count test errors); for sequence data
     * {@code <prefix>perplexity} (e^loss) and {@code <prefix>bits_per_token} (loss / ln 2; bits per character
     * for a character model).
     */
    static void put(Map<String, Double> metrics, String prefix, Evaluation e, boolean sequence) {
        metrics.put(prefix + "accuracy", e.accuracy());
        metrics.put(prefix + "loss", e.loss());
        if (!sequence) {
            metrics.put(prefix + "errors", (double) Math.round((1 - e.accuracy()) * e.samples()));
        }
        if (sequence) {
            metrics.put(prefix + "perplexity", Math.exp(e.loss()));
            metrics.put(prefix + "bits_per_token", e.loss() / LN_2);
        }
    }
}
