package dev.bonsai.api.engine;

/**
 * A model's quality on a split.
 *
 * @param loss     mean cross-entropy in nats
 * @param accuracy fraction of predictions whose arg-max is the label: one per sample for a classifier, one per
 *                 position for a sequence model
 * @param samples  how many samples were evaluated
 */
public record Evaluation(double loss, double accuracy, long samples) {
}
