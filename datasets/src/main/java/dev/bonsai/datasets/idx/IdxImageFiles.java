package dev.bonsai.datasets.idx;

import dev.bonsai.api.data.DataFile;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The four IDX files of an image classification dataset in the MNIST layout.
 *
 * @param trainImages the training images (magic 2051)
 * @param trainLabels the training labels (magic 2049)
 * @param testImages  the test images (magic 2051)
 * @param testLabels  the test labels (magic 2049)
 */
public record IdxImageFiles(DataFile trainImages, DataFile trainLabels, DataFile testImages, DataFile testLabels) {

    /** Checks nothing is null. */
    public IdxImageFiles {
        Objects.requireNonNull(trainImages);
        Objects.requireNonNull(trainLabels);
        Objects.requireNonNull(testImages);
        Objects.requireNonNull(testLabels);
    }

    /** The four files: train images, train labels, test images, test labels. */
    public List<DataFile> all() {
        return List.of(trainImages, trainLabels, testImages, testLabels);
    }

    /**
     * A file that every mirror holds under the same name.
     *
     * @param path        its name, relative to the dataset folder and to each mirror base
     * @param sha256      its SHA-256, lower-case hex
     * @param size        its size in bytes
     * @param mirrorBases base URLs ending in {@code /}, tried in order
     */
    public static DataFile file(String path, String sha256, long size, List<String> mirrorBases) {
        List<URI> mirrors = new ArrayList<>();
        for (String base : mirrorBases) {
            if (!base.endsWith("/")) {
                throw new IllegalArgumentException("a mirror base URL must end with '/': " + base);
            }
            mirrors.add(URI.create(base).resolve(path));
        }
        return new DataFile(path, sha256, size, mirrors);
    }
}
