package dev.bonsai.datasets.cifar;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;

/**
 * The options of the {@code cifar-10} dataset.
 *
 * @param normalize whether pixels are standardised per channel with CIFAR-10's training mean and standard deviation
 */
@Doc("Options of the CIFAR-10 colour images dataset.")
public record Cifar10Options(
        @Doc("Standardise each channel as (x/255 − mean)/std with the training set's per-channel mean "
                + "(0.4914, 0.4822, 0.4465) and standard deviation (0.2470, 0.2435, 0.2616); when false, x/255.")
        @DefaultValue("true")
        boolean normalize) {

    /** The defaults: normalised. */
    public static Cifar10Options defaults() {
        return new Cifar10Options(true);
    }
}
