package dev.bonsai.api.data;

import dev.bonsai.api.model.Shape;
import java.util.Map;

/**
 * What a model needs to know about its data, and the provenance of the data.
 *
 * @param id          the dataset's id
 * @param sampleShape one sample's shape, for example {@code [1, 28, 28]}
 * @param classes     the number of classes (or the vocabulary size for a language model)
 * @param sha256      the SHA-256 of each file it was loaded from, by relative path
 */
public record DatasetInfo(String id, Shape sampleShape, int classes, Map<String, String> sha256) {
    /** Copies the checksum map. */
    public DatasetInfo {
        sha256 = Map.copyOf(sha256);
    }
}
