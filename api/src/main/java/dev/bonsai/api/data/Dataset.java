package dev.bonsai.api.data;

import java.util.Objects;
import java.util.Optional;

/**
 * A loaded dataset: its description and its splits. A validation split, when present, was held out of the
 * training data by the host (deterministically from the seed).
 *
 * @param info       what it is and where it came from
 * @param train      the training samples
 * @param validation held-out training samples, if any
 * @param test       the test samples
 */
public record Dataset(DatasetInfo info, Split train, Optional<Split> validation, Split test) {
    /** Checks nothing is null. */
    public Dataset {
        Objects.requireNonNull(info);
        Objects.requireNonNull(train);
        Objects.requireNonNull(validation);
        Objects.requireNonNull(test);
    }
}
