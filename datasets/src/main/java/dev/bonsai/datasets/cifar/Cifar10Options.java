package dev.bonsai.datasets.cifar;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;

/**
 * The options of the {@code cifar-10} dataset.
 *
 * @param normalize whether pixels are standardised per channel with CIFAR-10's training mean and standard deviation
 * @param augment   whether training batches get a seeded random crop (padding 4) and horizontal flip
 */
@Doc("Options of the CIFAR-10 colour images dataset.")
public record Cifar10Options(
        @Doc("Standardise each channel as (x/255 − mean)/std with the training set's per-channel mean "
                + "(0.4914, 0.4822, 0.4465) and standard deviation (0.2470, 0.2435, 0.2616); when false, x/255.")
        @DefaultValue("true")
        boolean normalize,
        @Doc("Augment training batches: pad each image by 4 pixels (black), crop a random 32×32 window and flip it "
                + "horizontally with probability 1/2, drawn from the seed, epoch and sample index (the same on every "
                + "engine). Not available in experiments yet: engines gather batches on the device, and the per-batch "
                + "transform (Cifar10Provider.augmentation) has no hook there, so asking for it is an error.")
        @DefaultValue("false")
        boolean augment) {

    /** The defaults: normalised, not augmented. */
    public static Cifar10Options defaults() {
        return new Cifar10Options(true, false);
    }
}
