package dev.bonsai.api.engine;

/**
 * A model's quality on a split.
 *
 * @param loss     mean cross-entropy in nats
 * @param accuracy fraction of samples whose arg-max prediction is the label
 * @param samples  how many samples were evaluated
 */
public record Evaluation(double loss, double accuracy, long samples) {
}
