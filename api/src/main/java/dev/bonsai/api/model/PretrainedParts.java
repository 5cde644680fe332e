package dev.bonsai.api.model;

import dev.bonsai.api.Experimental;
import dev.bonsai.api.data.Tokenizer;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a pretrained model brings besides its spec ({@link ModelProvider#pretrained}): the weights it was published
 * with, the tokenizer its text must be encoded with, the longest sequence it was trained on, and where it came from.
 *
 * @param weights    every parameter of the spec the provider builds, in its layout
 * @param tokenizer  the model's tokenizer
 * @param context    the longest sequence the model was trained on (its positions)
 * @param provenance where it came from, for the records: for example {@code pretrained.path},
 *                   {@code pretrained.format}, {@code pretrained.sha256}
 */
@Experimental("arrives with pretrained language models; may gain quantised weights")
public record PretrainedParts(Weights weights, Tokenizer tokenizer, int context, Map<String, String> provenance) {

    /** Checks that nothing is missing; copies the map. */
    public PretrainedParts {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(tokenizer, "tokenizer");
        if (context <= 0) {
            throw new IllegalArgumentException("a pretrained model's context must be positive, got " + context);
        }
        provenance = Map.copyOf(new TreeMap<>(provenance));
    }
}
