package dev.bonsai.api.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Named host tensors: a model's parameters, gradients, or any per-parameter quantity. Insertion-ordered. */
public final class Weights {
    private final Map<String, Tensor> tensors;

    /** Wraps the map (copying the map, not the tensors). */
    public Weights(Map<String, Tensor> tensors) {
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /** The tensors by name. */
    public Map<String, Tensor> asMap() {
        return tensors;
    }

    /** The tensor named {@code name}, or an error listing the known names. */
    public Tensor get(String name) {
        Tensor t = tensors.get(Objects.requireNonNull(name));
        if (t == null) {
            throw new IllegalArgumentException("no tensor named '" + name + "'; known: " + tensors.keySet());
        }
        return t;
    }

    /** Whether a tensor is named {@code name}. */
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** A deep copy. */
    public Weights copy() {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        tensors.forEach((k, v) -> copy.put(k, v.copy()));
        return new Weights(copy);
    }

    /**
     * Checks that every tensor here names a parameter of {@code spec} and has its shape (a part of a model's
     * weights, as {@code Network.loadWeights} takes).
     *
     * @throws IllegalArgumentException naming the first tensor that does not fit, and the model's parameters
     */
    public void checkFitsPartOf(ModelSpec spec) {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            ParameterSpec p = spec.parameters().get(e.getKey());
            if (p == null) {
                throw new IllegalArgumentException("model '" + spec.name() + "' has no parameter '" + e.getKey()
                        + "'; it has " + spec.parameters().keySet());
            }
            if (!e.getValue().shape().equals(p.shape())) {
                throw new IllegalArgumentException("parameter '" + e.getKey() + "' has shape " + p.shape()
                        + " but the weights given have " + e.getValue().shape());
            }
        }
    }

    /** Checks that this holds exactly the parameters of {@code spec}, with their shapes. */
    public void checkMatches(ModelSpec spec) {
        for (ParameterSpec p : spec.parameters().values()) {
            Tensor t = tensors.get(p.name());
            if (t == null) {
                throw new IllegalArgumentException("weights lack parameter '" + p.name() + "' of model '" + spec.name() + "'");
            }
            if (!t.shape().equals(p.shape())) {
                throw new IllegalArgumentException("parameter '" + p.name() + "' has shape " + t.shape()
                        + " but model '" + spec.name() + "' needs " + p.shape());
            }
        }
        for (String name : tensors.keySet()) {
            if (!spec.parameters().containsKey(name)) {
                throw new IllegalArgumentException("weights hold '" + name + "', which model '" + spec.name() + "' does not have");
            }
        }
    }
}
