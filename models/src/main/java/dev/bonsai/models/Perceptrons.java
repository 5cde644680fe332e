package dev.bonsai.models;

import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Builds the layer list shared by the fully connected models: flatten, then dense/activation(/dropout) blocks. */
final class Perceptrons {

    private Perceptrons() {
    }

    /**
     * The layers {@code flatten, fc1, <act>1[, dropout1], …, fc<k+1>} of a perceptron.
     *
     * @param hidden     the hidden widths, in order
     * @param activation the hidden activation; its layers are named after it ({@code relu1}, {@code tanh1}…)
     * @param dropout    the dropout rate after each hidden activation; no dropout layers when 0
     * @param classes    the number of outputs
     */
    static List<LayerSpec> layers(List<Integer> hidden, Activation activation, double dropout, int classes) {
        String act = activation.name().toLowerCase(Locale.ROOT);
        List<LayerSpec> layers = new ArrayList<>();
        layers.add(new LayerSpec.Flatten("flatten"));
        int k = 1;
        for (int width : hidden) {
            layers.add(new LayerSpec.Dense("fc" + k, width, true));
            layers.add(new LayerSpec.Activate(act + k, activation));
            if (dropout > 0) {
                layers.add(new LayerSpec.Dropout("dropout" + k, dropout));
            }
            k++;
        }
        layers.add(new LayerSpec.Dense("fc" + k, classes, true));
        return layers;
    }
}
