package dev.bonsai.experiments.run;

import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.Evaluation;
import java.util.List;
import java.util.Map;

/**
 * The metric names of an evaluation, as trial records store them, for one dataset. Every evaluation gives
 * {@code <prefix>accuracy} and {@code <prefix>loss} (mean cross-entropy in nats per prediction); a classifier's also
 * {@code <prefix>errors} (misclassified samples, as papers count test errors). Sequence data (a
 * label per position) add the language-model metrics: {@code <prefix>perplexity} (e^loss),
 * {@code <prefix>bits_per_token} (loss / ln 2) and, when the dataset has a vocabulary,
 * {@code <prefix>bits_per_character}: bits per token divided by the mean number of characters a predicted token
 * stands for — 1 for a character model (so it equals bits per token), the word's length plus one separating space
 * for a word model (an end-of-line token is one character). They also record the protocol the figures come from:
 * {@code <prefix>windows} (the windows evaluated), {@code <prefix>predictions} (the predicted tokens the loss is the
 * mean over) and {@code <prefix>window_tokens} (the stream tokens a window spans: its inputs and the token after
 * its last input; the {@code ctx} of a perplexity protocol that makes {@code ctx − 1} predictions per window).
 */
final class Metrics {
    private static final double LN_2 = Math.log(2);
    private static final String EOS = "<eos>";

    private final boolean sequence;
    private final double testCharacters;
    private final double validationCharacters;
    private final int testPositions;
    private final int validationPositions;

    /** The metrics of {@code data}'s evaluations. */
    Metrics(Dataset data) {
        this.sequence = data.test().labelsPerSample() > 1;
        List<String> vocabulary = data.info().vocabulary();
        this.testCharacters = charactersPerToken(data.test(), vocabulary);
        this.validationCharacters = data.validation().map(v -> charactersPerToken(v, vocabulary)).orElse(Double.NaN);
        this.testPositions = data.test().labelsPerSample();
        this.validationPositions = data.validation().map(Split::labelsPerSample).orElse(testPositions);
    }

    /** Whether the data are sequences, so the language-model metrics apply. */
    boolean sequence() {
        return sequence;
    }

    /** Puts the metrics of an evaluation on the test split. */
    void test(Map<String, Double> metrics, String prefix, Evaluation e) {
        put(metrics, prefix, e, testCharacters, testPositions);
    }

    /** Puts the metrics of an evaluation on the validation split. */
    void validation(Map<String, Double> metrics, String prefix, Evaluation e) {
        put(metrics, prefix, e, validationCharacters, validationPositions);
    }

    private void put(Map<String, Double> metrics, String prefix, Evaluation e, double charactersPerToken,
            int positions) {
        metrics.put(prefix + "accuracy", e.accuracy());
        metrics.put(prefix + "loss", e.loss());
        if (!sequence) {
            metrics.put(prefix + "errors", (double) Math.round((1 - e.accuracy()) * e.samples()));
        } else {
            metrics.put(prefix + "perplexity", Math.exp(e.loss()));
            metrics.put(prefix + "bits_per_token", e.loss() / LN_2);
            if (charactersPerToken > 0) {
                metrics.put(prefix + "bits_per_character", e.loss() / LN_2 / charactersPerToken);
            }
            metrics.put(prefix + "windows", (double) e.samples());
            metrics.put(prefix + "predictions", (double) e.samples() * positions);
            metrics.put(prefix + "window_tokens", (double) positions + 1);
        }
    }

    /**
     * The mean number of characters the labels of {@code split} stand for, or NaN without a vocabulary or for data
     * that are not sequences.
     */
    static double charactersPerToken(Split split, List<String> vocabulary) {
        if (vocabulary.isEmpty() || split.labelsPerSample() == 1) {
            return Double.NaN;
        }
        boolean characters = vocabulary.stream().allMatch(t -> t.codePointCount(0, t.length()) == 1);
        if (characters) {
            return 1;
        }
        int[] length = new int[vocabulary.size()];
        for (int i = 0; i < length.length; i++) {
            String t = vocabulary.get(i);
            length[i] = t.equals(EOS) ? 1 : t.codePointCount(0, t.length()) + 1;
        }
        long total = 0;
        for (int s = 0, n = split.size(); s < n; s++) {
            for (int p = 0; p < split.labelsPerSample(); p++) {
                total += length[split.label(s, p)];
            }
        }
        return (double) total / ((long) split.size() * split.labelsPerSample());
    }
}
