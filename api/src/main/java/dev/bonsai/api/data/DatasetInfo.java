package dev.bonsai.api.data;

import dev.bonsai.api.model.Shape;
import java.util.List;
import java.util.Map;

/**
 * What a model needs to know about its data, and the provenance of the data.
 *
 * @param id          the dataset's id
 * @param sampleShape one sample's shape, for example {@code [1, 28, 28]}, or {@code [T]} token ids
 * @param classes     the number of classes (or the vocabulary size for a language model)
 * @param sha256      the SHA-256 of each file it was loaded from, by relative path
 * @param vocabulary  the token of each class index for text data (characters or words); empty otherwise
 */
public record DatasetInfo(String id, Shape sampleShape, int classes, Map<String, String> sha256,
        List<String> vocabulary) {
    /** Copies the map and list and checks the vocabulary's size. */
    public DatasetInfo {
        sha256 = Map.copyOf(sha256);
        vocabulary = List.copyOf(vocabulary);
        if (!vocabulary.isEmpty() && vocabulary.size() != classes) {
            throw new IllegalArgumentException("dataset '" + id + "' has " + classes + " classes but a vocabulary of "
                    + vocabulary.size());
        }
    }

    /** A dataset without a vocabulary (images, tabular data). */
    public DatasetInfo(String id, Shape sampleShape, int classes, Map<String, String> sha256) {
        this(id, sampleShape, classes, sha256, List.of());
    }
}
