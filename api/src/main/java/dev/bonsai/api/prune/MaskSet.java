package dev.bonsai.api.prune;

import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Masks by parameter name; parameters without a mask are dense. Immutable. */
public final class MaskSet {
    private static final MaskSet EMPTY = new MaskSet(Map.of());
    private final Map<String, Mask> masks;

    /** Wraps the map (copying it). */
    public MaskSet(Map<String, Mask> masks) {
        this.masks = Collections.unmodifiableMap(new LinkedHashMap<>(masks));
    }

    /** No masks. */
    public static MaskSet empty() {
        return EMPTY;
    }

    /** The masks by parameter name. */
    public Map<String, Mask> asMap() {
        return masks;
    }

    /** The mask of {@code parameter}, if it has one. */
    public Optional<Mask> get(String parameter) {
        return Optional.ofNullable(masks.get(parameter));
    }

    /**
     * Checks that every mask names a parameter of {@code spec} and has its shape.
     *
     * @throws IllegalArgumentException naming the first mask that does not fit, and the model's parameters
     */
    public void checkFits(ModelSpec spec) {
        for (Map.Entry<String, Mask> e : masks.entrySet()) {
            ParameterSpec p = spec.parameters().get(e.getKey());
            if (p == null) {
                throw new IllegalArgumentException("a mask names parameter '" + e.getKey() + "', which model '"
                        + spec.name() + "' does not have; it has " + spec.parameters().keySet());
            }
            if (!e.getValue().shape().equals(p.shape())) {
                throw new IllegalArgumentException("the mask of '" + e.getKey() + "' has shape " + e.getValue().shape()
                        + " but the parameter has " + p.shape());
            }
        }
    }

    /** Whether there are no masks. */
    public boolean isEmpty() {
        return masks.isEmpty();
    }

    /** Elements covered by masks. */
    public long size() {
        long n = 0;
        for (Mask m : masks.values()) {
            n += m.size();
        }
        return n;
    }

    /** Pruned elements over all masks. */
    public long prunedCount() {
        long n = 0;
        for (Mask m : masks.values()) {
            n += m.prunedCount();
        }
        return n;
    }

    /** The fraction of masked elements that are pruned; 0 when there are none. */
    public double sparsity() {
        long size = size();
        return size == 0 ? 0 : (double) prunedCount() / size;
    }
}
