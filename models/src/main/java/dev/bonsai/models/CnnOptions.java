package dev.bonsai.models;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;
import java.util.List;
import java.util.Objects;

/**
 * Options of the {@link Cnn} model.
 *
 * @param widths  the channels of each stage; each stage is two 3×3 convolutions and a 2×2 max pooling
 * @param hidden  the width of the dense layer before the classifier; 0 for none
 * @param dropout the dropout rate before each dense layer
 */
@Doc("A small VGG-style CNN: stages of two 3×3 conv + batch norm + ReLU and a 2×2 max pooling, then dense layers.")
public record CnnOptions(
        @Doc("Channels of each stage, in order; each stage halves the image size.")
        @DefaultValue("[32, 64, 128]")
        @Range(min = 1)
        List<Integer> widths,

        @Doc("Width of the hidden dense layer before the classifier; 0 for none.")
        @DefaultValue("128")
        @Range(min = 0)
        int hidden,

        @Doc("Dropout rate before each dense layer; 0 adds no dropout layers.")
        @DefaultValue("0")
        @Range(min = 0, max = 1, maxExclusive = true)
        double dropout) {

    /**
     * Checks the values and copies the list.
     *
     * @param widths  the stage widths, at least one, each at least 1
     * @param hidden  the hidden dense width, at least 0
     * @param dropout the dropout rate, in [0, 1)
     */
    public CnnOptions {
        Objects.requireNonNull(widths, "widths");
        if (widths.isEmpty()) {
            throw new IllegalArgumentException("cnn needs at least one stage width");
        }
        for (Integer width : widths) {
            if (width == null || width < 1) {
                throw new IllegalArgumentException("cnn widths must each be ≥ 1, got " + widths);
            }
        }
        widths = List.copyOf(widths);
        if (hidden < 0) {
            throw new IllegalArgumentException("cnn hidden width must be ≥ 0, got " + hidden);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("cnn dropout must be in [0, 1), got " + dropout);
        }
    }

    /**
     * The defaults.
     *
     * @return {@code widths: [32, 64, 128]}, {@code hidden: 128}, {@code dropout: 0}
     */
    public static CnnOptions defaults() {
        return new CnnOptions(List.of(32, 64, 128), 128, 0);
    }
}
