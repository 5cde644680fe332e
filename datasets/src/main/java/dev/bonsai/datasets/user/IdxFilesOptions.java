package dev.bonsai.datasets.user;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;
import java.util.List;
import java.util.Optional;

/**
 * The options of the {@code idx} dataset: a user's IDX files.
 *
 * @param trainImages the training images (IDX, unsigned bytes, first dimension = count)
 * @param trainLabels the training labels (IDX, unsigned bytes, one dimension)
 * @param testImages  the test images
 * @param testLabels  the test labels
 * @param shape       one sample's shape; by default {@code [1, rows, columns]} for images of rank 3, otherwise the
 *                    file's dimensions after the first
 * @param classes     the number of classes; by default the largest label plus one
 * @param normalize   whether pixels are standardised with the training images' mean and standard deviation
 */
@Doc("Options of the idx dataset: your own images and labels in IDX files (the MNIST format), plain or gzip.")
public record IdxFilesOptions(
        @Doc("The training images: an IDX file of unsigned bytes whose first dimension is the image count.")
        String trainImages,
        @Doc("The training labels: an IDX file of unsigned bytes with one dimension, one label per image.")
        String trainLabels,
        @Doc("The test images, like train_images.")
        String testImages,
        @Doc("The test labels, like train_labels.")
        String testLabels,
        @Doc("One sample's shape, for example [3, 32, 32]; its size must equal the values per image. Default: "
                + "[1, rows, columns] for files of rank 3, else the file's dimensions after the first.")
        @Range(min = 1)
        Optional<List<Integer>> shape,
        @Doc("The number of classes (labels 0..classes-1); default: the largest label plus one.")
        @Range(min = 1)
        Optional<Integer> classes,
        @Doc("Standardise values as (x/255 − mean)/std with the training images' mean and standard deviation; "
                + "when false, x/255 in [0, 1].")
        @DefaultValue("false")
        boolean normalize) {
}
