package dev.bonsai.datasets.fashion;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;

/**
 * The options of the {@code fashion-mnist} dataset.
 *
 * @param normalize whether pixels are standardised with Fashion-MNIST's training mean and standard deviation
 */
@Doc("Options of the Fashion-MNIST clothing images dataset.")
public record FashionMnistOptions(
        @Doc("Standardise pixels as (x/255 − 0.2860)/0.3530 (Fashion-MNIST's training mean and standard "
                + "deviation); when false, pixels are x/255 in [0, 1].")
        @DefaultValue("true")
        boolean normalize) {

    /** The defaults: normalised pixels. */
    public static FashionMnistOptions defaults() {
        return new FashionMnistOptions(true);
    }
}
