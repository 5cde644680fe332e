package dev.bonsai.strategies.structure;

import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.MaskSet;
import java.util.Map;

/**
 * A model after its pruned units were removed for real.
 *
 * @param spec    the smaller model
 * @param weights its weights
 * @param masks   the masks that remain, sliced to the new shapes (a mask left with nothing pruned is dropped)
 * @param removed units removed per layer, in model order
 */
public record Compacted(ModelSpec spec, Weights weights, MaskSet masks, Map<String, Integer> removed) {
    /** Copies the map. */
    public Compacted {
        removed = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(removed));
    }
}
