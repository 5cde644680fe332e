package dev.bonsai.models;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;
import java.util.List;
import java.util.Objects;

/**
 * Options of the {@link Mlp} model.
 *
 * @param hidden     the hidden layers' widths, in order
 * @param activation the activation after each hidden layer
 * @param dropout    the dropout rate after each hidden activation
 */
@Doc("A multilayer perceptron: flatten, then dense layers of the given widths, then a dense classifier.")
public record MlpOptions(
        @Doc("Widths of the hidden dense layers, in order; an empty list gives a linear classifier.")
        @DefaultValue("[300, 100]")
        @Range(min = 1)
        List<Integer> hidden,

        @Doc("Activation after each hidden layer: relu or tanh.")
        @DefaultValue("relu")
        MlpActivation activation,

        @Doc("Dropout rate after each hidden activation (Srivastava et al. 2014); 0 adds no dropout layers.")
        @DefaultValue("0")
        @Range(min = 0, max = 1, maxExclusive = true)
        double dropout) {

    /**
     * Checks the values and copies the list.
     *
     * @param hidden     the hidden widths, each at least 1
     * @param activation the hidden activation
     * @param dropout    the dropout rate, in [0, 1)
     */
    public MlpOptions {
        Objects.requireNonNull(hidden, "hidden");
        Objects.requireNonNull(activation, "activation");
        for (Integer width : hidden) {
            if (width == null || width < 1) {
                throw new IllegalArgumentException("mlp hidden widths must each be ≥ 1, got " + hidden);
            }
        }
        hidden = List.copyOf(hidden);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("mlp dropout must be in [0, 1), got " + dropout);
        }
    }

    /**
     * The defaults.
     *
     * @return {@code hidden: [300, 100]}, {@code activation: relu}, {@code dropout: 0}
     */
    public static MlpOptions defaults() {
        return new MlpOptions(List.of(300, 100), MlpActivation.RELU, 0);
    }
}
