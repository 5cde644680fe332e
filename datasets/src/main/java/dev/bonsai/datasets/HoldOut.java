package dev.bonsai.datasets;

import dev.bonsai.api.data.Split;
import java.util.Objects;
import java.util.Optional;

/**
 * A training split divided into what is trained on and a held-out validation split.
 *
 * @param train      the samples left for training, in their original order
 * @param validation the held-out samples in their original order, or empty when none were held out
 */
public record HoldOut(Split train, Optional<Split> validation) {
    /** Checks nothing is null. */
    public HoldOut {
        Objects.requireNonNull(train);
        Objects.requireNonNull(validation);
    }
}
