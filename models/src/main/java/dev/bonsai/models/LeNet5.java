package dev.bonsai.models;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.Spi;
import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelProvider;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.PoolKind;
import java.util.List;

/**
 * LeNet-5 ({@code lenet-5}): the convolutional network of Y. LeCun, L. Bottou, Y. Bengio and P. Haffner,
 * "Gradient-based learning applied to document recognition", <i>Proc. IEEE</i> 86(11), 1998, in the modern form
 * used by the pruning literature (S. Han et al., NeurIPS 2015): ReLU and max pooling, and padding 2 on the first
 * convolution so it takes 28×28 images directly.
 *
 * <p>Layers: {@code conv1 (6@5×5, padding 2) → relu1 → pool1 (max 2) → conv2 (16@5×5) → relu2 → pool2 (max 2) →
 * flatten → fc1 (dense 120) → relu3 → fc2 (dense 84) → relu4 → fc3 (dense classes)}. On MNIST ({@code [1, 28, 28]},
 * 10 classes) it has 61,706 trainable parameters: 6·25+6 + 16·6·25+16 + 400·120+120 + 120·84+84 + 84·10+10.
 */
public final class LeNet5 implements ModelProvider<NoOptions> {

    /** Creates the provider; it is stateless. */
    public LeNet5() {
    }

    @Override
    public String id() {
        return "lenet-5";
    }

    @Override
    public String description() {
        return "LeNet-5: two 5×5 convolutions with max pooling and three dense layers (LeCun et al. 1998)";
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
        return new ModelSpec(id(), data.sampleShape(), List.of(
                new LayerSpec.Conv2d("conv1", 6, 5, 1, 2, true),
                new LayerSpec.Activate("relu1", Activation.RELU),
                new LayerSpec.Pool2d("pool1", PoolKind.MAX, 2, 2),
                new LayerSpec.Conv2d("conv2", 16, 5, 1, 0, true),
                new LayerSpec.Activate("relu2", Activation.RELU),
                new LayerSpec.Pool2d("pool2", PoolKind.MAX, 2, 2),
                new LayerSpec.Flatten("flatten"),
                new LayerSpec.Dense("fc1", 120, true),
                new LayerSpec.Activate("relu3", Activation.RELU),
                new LayerSpec.Dense("fc2", 84, true),
                new LayerSpec.Activate("relu4", Activation.RELU),
                new LayerSpec.Dense("fc3", data.classes(), true)));
    }
}
