package dev.bonsai.api.prune;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Experimental;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link MaskSelectingStrategy} prunes to in one round: the sparsity of each prunable parameter (earlier
 * pruned positions count toward it) and the structure.
 *
 * @param sparsities the fraction of each parameter's elements pruned afterwards, by parameter name, in [0, 1]
 * @param structure  unstructured or N:M
 */
@Experimental("strategies that select their own masks are new to the SPI; the target they receive may gain fields")
public record MaskTarget(Map<String, Double> sparsities, Structure structure) {

    /** Copies the map and checks every sparsity is in [0, 1]. */
    public MaskTarget {
        Objects.requireNonNull(structure, "structure");
        sparsities = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(sparsities, "sparsities")));
        sparsities.forEach((name, s) -> {
            if (s == null || !(s >= 0 && s <= 1)) {
                throw new IllegalArgumentException("the target sparsity of '" + name + "' must be in [0, 1], got " + s);
            }
        });
    }

    /** The target sparsity of {@code parameter}, or an error naming the parameters that have one. */
    public double sparsity(String parameter) {
        Double s = sparsities.get(parameter);
        if (s == null) {
            throw new BonsaiException("no target sparsity for parameter '" + parameter + "'; the target covers "
                    + sparsities.keySet());
        }
        return s;
    }

    /**
     * How many of {@code candidates} elements a unit at {@code sparsity} loses: floor(sparsity · candidates + 0.5),
     * the count the host's selector uses for a whole parameter.
     */
    public static long count(double sparsity, long candidates) {
        return (long) Math.floor(sparsity * candidates + 0.5);
    }
}
