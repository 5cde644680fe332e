package dev.bonsai.api.model;

/** What a parameter is for; decides its initialisation and whether strategies prune it by default. */
public enum ParameterRole {
    /** A dense matrix or convolution kernel: what pruning removes by default. */
    WEIGHT(true),
    /** An additive bias. */
    BIAS(true),
    /** The scale (gamma) of a normalisation layer. */
    NORM_SCALE(true),
    /** The shift (beta) of a normalisation layer. */
    NORM_SHIFT(true),
    /** A token embedding table. */
    EMBEDDING(true),
    /** A learned positional embedding table. */
    POSITIONAL(true),
    /** A batch-norm running mean: state, not trained by the optimizer. */
    RUNNING_MEAN(false),
    /** A batch-norm running variance: state, not trained by the optimizer. */
    RUNNING_VAR(false);

    private final boolean trainable;

    ParameterRole(boolean trainable) {
        this.trainable = trainable;
    }

    /** Whether the optimizer updates it. */
    public boolean trainable() {
        return trainable;
    }
}
