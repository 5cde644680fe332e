package dev.bonsai.models;

import dev.bonsai.api.Spi;
import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.model.ModelProvider;
import dev.bonsai.api.model.ModelSpec;

/**
 * A multilayer perceptron ({@code mlp}) of any depth and widths.
 *
 * <p>Layers: {@code flatten}, then for each hidden width k = 1, 2, …: {@code fc<k>} (dense with bias),
 * {@code <activation><k>} (for example {@code relu1}) and, when {@link MlpOptions#dropout()} is above 0,
 * {@code dropout<k>} (N. Srivastava et al., "Dropout: A Simple Way to Prevent Neural Networks from
 * Overfitting", JMLR 15, 2014); finally {@code fc<h+1>}, a dense layer with one output per class. With its
 * defaults ({@code [300, 100]}, ReLU, no dropout) it is exactly {@link LeNet300100}, parameter names included.
 * Large instances such as {@code hidden: [1200, 1200], dropout: 0.5} are the teachers of G. Hinton, O. Vinyals
 * and J. Dean, "Distilling the Knowledge in a Neural Network", 2015.
 */
public final class Mlp implements ModelProvider<MlpOptions> {

    /** Creates the provider; it is stateless. */
    public Mlp() {
    }

    @Override
    public String id() {
        return "mlp";
    }

    @Override
    public String description() {
        return "Multilayer perceptron with configurable hidden widths, activation (relu|tanh) and dropout";
    }

    @Override
    public Class<MlpOptions> optionsType() {
        return MlpOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public ModelSpec build(MlpOptions options, DatasetInfo data) {
        return new ModelSpec(id(), data.sampleShape(), Perceptrons.layers(options.hidden(),
                options.activation().function(), options.dropout(), data.classes()));
    }
}
