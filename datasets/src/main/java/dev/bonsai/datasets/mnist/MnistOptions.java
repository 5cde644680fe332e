package dev.bonsai.datasets.mnist;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;

/**
 * The options of the {@code mnist} dataset.
 *
 * @param normalize whether pixels are standardised with MNIST's training mean and standard deviation
 */
@Doc("Options of the MNIST handwritten digits dataset.")
public record MnistOptions(
        @Doc("Standardise pixels as (x/255 − 0.1307)/0.3081 (MNIST's training mean and standard deviation); "
                + "when false, pixels are x/255 in [0, 1].")
        @DefaultValue("true")
        boolean normalize) {

    /** The defaults: normalised pixels. */
    public static MnistOptions defaults() {
        return new MnistOptions(true);
    }
}
