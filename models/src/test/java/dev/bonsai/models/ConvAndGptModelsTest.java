package dev.bonsai.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelProvider;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterRole;
import dev.bonsai.api.model.Shape;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The convolutional and transformer models: shapes, names and parameter counts computed by hand. */
class ConvAndGptModelsTest {
    private static final DatasetInfo MNIST = new DatasetInfo("mnist", Shape.of(1, 28, 28), 10, Map.of());
    private static final DatasetInfo CIFAR = new DatasetInfo("cifar-10", Shape.of(3, 32, 32), 10, Map.of());
    private static final DatasetInfo CHARS = new DatasetInfo("chars", Shape.of(64), 65, Map.of());

    private static List<String> layerNames(ModelSpec spec) {
        return spec.layers().stream().map(LayerSpec::name).toList();
    }

    @Test
    void lenet5HasTheParameterCountOfTheLiterature() {
        ModelSpec spec = new LeNet5().build(new NoOptions(), MNIST);

        assertThat(layerNames(spec)).containsExactly("conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten",
                "fc1", "relu3", "fc2", "relu4", "fc3");
        assertThat(spec.parameter("conv1.weight").shape()).isEqualTo(Shape.of(6, 1, 5, 5));
        assertThat(spec.parameter("conv2.weight").shape()).isEqualTo(Shape.of(16, 6, 5, 5));
        assertThat(spec.parameter("fc1.weight").shape()).isEqualTo(Shape.of(120, 16 * 5 * 5));
        // conv1 6·25+6, conv2 16·6·25+16, fc1 400·120+120, fc2 120·84+84, fc3 84·10+10
        assertThat(spec.trainableParameterCount()).isEqualTo(61_706L);
        assertThat(spec.outputShape()).isEqualTo(Shape.of(10));
    }

    @Test
    void cnnDefaultsOnCifar() {
        ModelSpec spec = new Cnn().build(CnnOptions.defaults(), CIFAR);

        long expected = 0;
        int in = 3;
        for (int w : new int[] {32, 64, 128}) {
            expected += (long) w * in * 9 + 2L * w; // conv a (no bias) + bn scale and shift
            expected += (long) w * w * 9 + 2L * w;  // conv b
            in = w;
        }
        expected += 128L * 4 * 4 * 128 + 128; // fc1 on 128 channels of 4×4
        expected += 128L * 10 + 10;           // fc2
        assertThat(spec.trainableParameterCount()).isEqualTo(expected);
        assertThat(spec.parameters(ParameterRole.RUNNING_MEAN)).hasSize(6);
        assertThat(spec.parameters(ParameterRole.RUNNING_VAR)).hasSize(6);
        assertThat(layerNames(spec)).startsWith("conv1a", "bn1a", "relu1a", "conv1b", "bn1b", "relu1b", "pool1")
                .endsWith("flatten", "fc1", "relu_fc", "fc2");
        assertThat(spec.parameters().keySet()).contains("bn1a.weight", "bn1a.bias", "bn1a.running_mean",
                "bn1a.running_var", "conv3b.weight").doesNotContain("conv1a.bias");
        assertThat(spec.outputShape()).isEqualTo(Shape.of(10));
    }

    @Test
    void cnnWidthsHiddenAndDropoutAreHonoured() {
        ModelSpec spec = new Cnn().build(new CnnOptions(List.of(8, 16), 0, 0.5), CIFAR);

        assertThat(layerNames(spec)).endsWith("pool2", "flatten", "dropout1", "fc1");
        assertThat(spec.parameter("fc1.weight").shape()).isEqualTo(Shape.of(10, 16 * 8 * 8));
        assertThatThrownBy(() -> new CnnOptions(List.of(), 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CnnOptions(List.of(8), -1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void charGptDefaultsHaveTheNanoGptBabyShape() {
        ModelSpec spec = new CharGpt().build(CharGptOptions.defaults(), CHARS);
        long v = 65;
        long w = 128;
        long perBlock = 2 * (2 * w) + (3 * w * w + 3 * w) + (w * w + w) + (4 * w * w + 4 * w) + (4 * w * w + w);

        assertThat(spec.trainableParameterCount()).isEqualTo(v * w + 64 * w + 4 * perBlock + 2 * w + w * v);
        assertThat(spec.inputShape()).isEqualTo(Shape.of(64));
        assertThat(spec.outputShape()).isEqualTo(Shape.of(64, 65));
        assertThat(layerNames(spec)).containsExactly("tok_emb", "pos_emb", "block1", "block2", "block3", "block4",
                "ln_f", "head");
        assertThat(spec.parameters().keySet()).contains("tok_emb.weight", "pos_emb.weight", "block1.ln1.weight",
                "block1.attn.qkv.weight", "block1.attn.proj.bias", "block1.ln2.bias", "block1.fc.weight",
                "block4.proj.weight", "ln_f.weight", "head.weight").doesNotContain("head.bias");
        assertThat(spec.parameter("block2.attn.qkv.weight").shape()).isEqualTo(Shape.of(3 * 128, 128));
        assertThat(spec.parameter("block2.fc.weight").shape()).isEqualTo(Shape.of(4 * 128, 128));
    }

    @Test
    void charGptChecksItsOptionsAndTheDataset() {
        assertThatThrownBy(() -> new CharGptOptions(2, 3, 128, 64, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("divide");
        assertThatThrownBy(() -> new CharGpt().build(new CharGptOptions(1, 2, 16, 32, 0), CHARS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("context");
        assertThatThrownBy(() -> new CharGpt().build(CharGptOptions.defaults(), MNIST))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[T]");
        ModelSpec withDropout = new CharGpt().build(new CharGptOptions(1, 2, 16, 64, 0.1), CHARS);
        assertThat(layerNames(withDropout)).containsExactly("tok_emb", "pos_emb", "emb_dropout", "block1", "ln_f",
                "head");
    }

    @Test
    @SuppressWarnings({"rawtypes"})
    void theNewModelsAreRegistered() {
        List<String> ids = new java.util.ArrayList<>();
        for (ModelProvider p : ServiceLoader.load(ModelProvider.class)) {
            ids.add(p.id());
        }
        assertThat(ids).contains("lenet-5", "cnn", "char-gpt");
    }
}
