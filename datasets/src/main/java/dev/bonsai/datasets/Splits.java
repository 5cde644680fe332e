package dev.bonsai.datasets;

import dev.bonsai.api.data.BatchSampler;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.data.Split;
import java.util.Arrays;
import java.util.Optional;

/** Host-side operations on splits: the seeded validation hold-out, the same on every engine. */
public final class Splits {
    /** The salt that makes the hold-out permutation independent of the seed's other uses. */
    static final long HOLD_OUT_SALT = 0x76616C6964L; // "valid"

    private Splits() {
    }

    /**
     * Holds {@code validationSize} samples of {@code train} out for validation. Which samples is decided by
     * {@link BatchSampler#permutation(int, long, long)} with {@code seed}, so the same seed always holds out the same
     * samples; both parts keep the samples' original relative order.
     *
     * @param train          the training split
     * @param validationSize how many samples to hold out; 0 for none
     * @param seed           the experiment seed
     * @return the remaining training samples (named {@code train}) and the validation split (named
     *         {@code validation}); with {@code validationSize} 0, {@code train} itself and no validation split
     * @throws IllegalArgumentException when {@code validationSize} is negative or not smaller than the split
     */
    public static HoldOut holdOut(Split train, int validationSize, long seed) {
        int n = train.size();
        if (validationSize < 0 || validationSize >= n) {
            throw new IllegalArgumentException("validation size must be between 0 and " + (n - 1)
                    + " (the training split '" + train.name() + "' has " + n + " samples), but is " + validationSize);
        }
        if (validationSize == 0) {
            return new HoldOut(train, Optional.empty());
        }
        int[] permutation = BatchSampler.permutation(n, seed, HOLD_OUT_SALT);
        int[] validation = Arrays.copyOfRange(permutation, 0, validationSize);
        int[] rest = Arrays.copyOfRange(permutation, validationSize, n);
        Arrays.sort(validation);
        Arrays.sort(rest);
        return new HoldOut(train.subset("train", rest), Optional.of(train.subset("validation", validation)));
    }

    /**
     * {@code dataset} with {@code validationSize} of its training samples held out as its validation split, as by
     * {@link #holdOut(Split, int, long)}.
     *
     * @throws IllegalArgumentException when {@code dataset} already has a validation split, or the size is invalid
     */
    public static Dataset withValidation(Dataset dataset, int validationSize, long seed) {
        if (dataset.validation().isPresent()) {
            throw new IllegalArgumentException("dataset '" + dataset.info().id() + "' already has a validation split");
        }
        HoldOut parts = holdOut(dataset.train(), validationSize, seed);
        return new Dataset(dataset.info(), parts.train(), parts.validation(), dataset.test());
    }
}
