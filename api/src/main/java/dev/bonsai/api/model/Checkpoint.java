package dev.bonsai.api.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A trained model as a file holds it: the spec, weights that match it, the vocabulary of a text model (so that
 * text can be encoded and decoded without the dataset), and provenance. Engine-neutral: any engine can build the
 * spec and load the weights.
 *
 * @param spec       the model
 * @param weights    every parameter of {@code spec}, with its shape
 * @param vocabulary the token of each output class of a text model (characters or words); empty otherwise
 * @param provenance where it came from, for example {@code experiment}, {@code trial_id}, {@code seed},
 *                   {@code dataset_sha256}; free-form strings
 */
public record Checkpoint(ModelSpec spec, Weights weights, List<String> vocabulary, Map<String, String> provenance) {

    /**
     * Checks that the weights match the spec and the vocabulary the output; copies the list and map.
     *
     * @throws IllegalArgumentException naming the first parameter that is missing, extra or of the wrong shape, or
     *                                  a vocabulary whose size is not the model's output width
     */
    public Checkpoint {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(weights, "weights");
        vocabulary = List.copyOf(vocabulary);
        provenance = Map.copyOf(new TreeMap<>(provenance));
        weights.checkMatches(spec);
        if (!vocabulary.isEmpty() && vocabulary.size() != spec.outputShape().dim(-1)) {
            throw new IllegalArgumentException("model '" + spec.name() + "' has " + spec.outputShape().dim(-1)
                    + " outputs per position but the vocabulary has " + vocabulary.size() + " tokens");
        }
    }
}
