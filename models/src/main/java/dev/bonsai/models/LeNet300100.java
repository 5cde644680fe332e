package dev.bonsai.models;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.Spi;
import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.ModelProvider;
import dev.bonsai.api.model.ModelSpec;
import java.util.List;

/**
 * LeNet-300-100 ({@code lenet-300-100}): the fully connected network of
 * Y. LeCun, L. Bottou, Y. Bengio and P. Haffner, "Gradient-based learning applied to document recognition",
 * <i>Proc. IEEE</i> 86(11), 1998, used as the reference model for pruning by S. Han, J. Pool, J. Tran and
 * W. J. Dally, "Learning both Weights and Connections for Efficient Neural Networks", NeurIPS 2015, and most of
 * the literature since.
 *
 * <p>Layers: {@code flatten → fc1 (dense 300) → relu1 → fc2 (dense 100) → relu2 → fc3 (dense classes)}, every
 * dense layer with a bias. On MNIST ({@code [1, 28, 28]}, 10 classes) it has 266,610 trainable parameters:
 * 784·300 + 300 + 300·100 + 100 + 100·10 + 10. Its parameters are {@code fc1.weight}, {@code fc1.bias},
 * {@code fc2.weight}, {@code fc2.bias}, {@code fc3.weight} and {@code fc3.bias}. It is the same network as
 * {@link Mlp} with its default options, so both start from the same seeded weights.
 */
public final class LeNet300100 implements ModelProvider<NoOptions> {

    /** The widths of the two hidden layers. */
    static final List<Integer> HIDDEN = List.of(300, 100);

    /** Creates the provider; it is stateless. */
    public LeNet300100() {
    }

    @Override
    public String id() {
        return "lenet-300-100";
    }

    @Override
    public String description() {
        return "LeNet-300-100: fully connected 300-100 ReLU network (LeCun et al. 1998; Han et al. 2015)";
    }

    @Override
    public Class<NoOptions> optionsType() {
        return NoOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public ModelSpec build(NoOptions options, DatasetInfo data) {
        return new ModelSpec(id(), data.sampleShape(), Perceptrons.layers(HIDDEN, Activation.RELU, 0, data.classes()));
    }
}
