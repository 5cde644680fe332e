package dev.bonsai.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.Spi;
import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelProvider;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterRole;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.WeightInitializer;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ModelsTest {

    private static final DatasetInfo MNIST = new DatasetInfo("mnist", Shape.of(1, 28, 28), 10, Map.of());

    private static List<String> layerNames(ModelSpec spec) {
        return spec.layers().stream().map(LayerSpec::name).toList();
    }

    @Test
    void lenet300100HasTheParameterCountOfTheLiterature() {
        ModelSpec spec = new LeNet300100().build(new NoOptions(), MNIST);

        assertThat(spec.trainableParameterCount()).isEqualTo(266_610L);
        assertThat(spec.outputShape()).isEqualTo(Shape.of(10));
        assertThat(spec.inputShape()).isEqualTo(Shape.of(1, 28, 28));
    }

    @Test
    void lenet300100LayerAndParameterNames() {
        ModelSpec spec = new LeNet300100().build(new NoOptions(), MNIST);

        assertThat(layerNames(spec)).containsExactly("flatten", "fc1", "relu1", "fc2", "relu2", "fc3");
        assertThat(spec.parameters().keySet()).containsExactly(
                "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias");
        assertThat(spec.parameter("fc1.weight").shape()).isEqualTo(Shape.of(300, 784));
        assertThat(spec.parameter("fc2.weight").shape()).isEqualTo(Shape.of(100, 300));
        assertThat(spec.parameter("fc3.weight").shape()).isEqualTo(Shape.of(10, 100));
        assertThat(spec.parameters(ParameterRole.WEIGHT)).hasSize(3);
        assertThat(spec.layers().get(2)).isEqualTo(new LayerSpec.Activate("relu1", Activation.RELU));
        assertThat(spec.layers().get(4)).isEqualTo(new LayerSpec.Activate("relu2", Activation.RELU));
    }

    @Test
    void lenetTakesShapeAndClassesFromTheDataset() {
        DatasetInfo cifar = new DatasetInfo("cifar-10", Shape.of(3, 32, 32), 7, Map.of());
        ModelSpec spec = new LeNet300100().build(new NoOptions(), cifar);

        assertThat(spec.parameter("fc1.weight").shape()).isEqualTo(Shape.of(300, 3 * 32 * 32));
        assertThat(spec.outputShape()).isEqualTo(Shape.of(7));
    }

    @Test
    void mlpHonoursHiddenSizesAndActivation() {
        ModelSpec spec = new Mlp().build(new MlpOptions(List.of(50, 40, 30), MlpActivation.TANH, 0), MNIST);

        assertThat(layerNames(spec)).containsExactly("flatten", "fc1", "tanh1", "fc2", "tanh2", "fc3", "tanh3", "fc4");
        assertThat(spec.parameter("fc1.weight").shape()).isEqualTo(Shape.of(50, 784));
        assertThat(spec.parameter("fc2.weight").shape()).isEqualTo(Shape.of(40, 50));
        assertThat(spec.parameter("fc3.weight").shape()).isEqualTo(Shape.of(30, 40));
        assertThat(spec.parameter("fc4.weight").shape()).isEqualTo(Shape.of(10, 30));
        assertThat(spec.layers()).filteredOn(l -> l instanceof LayerSpec.Activate)
                .extracting(l -> ((LayerSpec.Activate) l).function())
                .containsExactly(Activation.TANH, Activation.TANH, Activation.TANH);
        assertThat(spec.trainableParameterCount())
                .isEqualTo(784L * 50 + 50 + 50 * 40 + 40 + 40 * 30 + 30 + 30 * 10 + 10);
    }

    @Test
    void mlpAddsDropoutAfterEachHiddenActivationOnlyWhenPositive() {
        ModelSpec with = new Mlp().build(new MlpOptions(List.of(20, 10), MlpActivation.RELU, 0.25), MNIST);
        ModelSpec without = new Mlp().build(new MlpOptions(List.of(20, 10), MlpActivation.RELU, 0), MNIST);

        assertThat(layerNames(with))
                .containsExactly("flatten", "fc1", "relu1", "dropout1", "fc2", "relu2", "dropout2", "fc3");
        assertThat(with.layers().get(3)).isEqualTo(new LayerSpec.Dropout("dropout1", 0.25));
        assertThat(layerNames(without)).doesNotContain("dropout1", "dropout2");
        assertThat(with.parameters().keySet()).isEqualTo(without.parameters().keySet());
    }

    @Test
    void mlpDefaultsAreLenet300100WithTheSameInitialWeights() {
        ModelSpec mlp = new Mlp().build(MlpOptions.defaults(), MNIST);
        ModelSpec lenet = new LeNet300100().build(new NoOptions(), MNIST);

        assertThat(mlp.layers()).isEqualTo(lenet.layers());
        assertThat(WeightInitializer.initialize(mlp, 7).asMap())
                .isEqualTo(WeightInitializer.initialize(lenet, 7).asMap());
    }

    @Test
    void mlpOptionsRejectBadValues() {
        assertThatThrownBy(() -> new MlpOptions(List.of(300, 0), MlpActivation.RELU, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hidden");
        assertThatThrownBy(() -> new MlpOptions(List.of(300), MlpActivation.RELU, 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dropout");
        assertThatThrownBy(() -> new MlpOptions(List.of(300), MlpActivation.RELU, -0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dropout");
    }

    @Test
    void mlpWithoutHiddenLayersIsALinearClassifier() {
        ModelSpec spec = new Mlp().build(new MlpOptions(List.of(), MlpActivation.RELU, 0), MNIST);

        assertThat(layerNames(spec)).containsExactly("flatten", "fc1");
        assertThat(spec.trainableParameterCount()).isEqualTo(784L * 10 + 10);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static List<ModelProvider<?>> loadProviders() {
        List<ModelProvider<?>> out = new java.util.ArrayList<>();
        for (ModelProvider p : ServiceLoader.load(ModelProvider.class)) {
            out.add(p);
        }
        return out;
    }

    @Test
    void providersAreRegisteredWithStableIdsAndTheCurrentSpi() {
        List<ModelProvider<?>> providers = loadProviders();

        assertThat(providers).extracting(ModelProvider::id).contains("lenet-300-100", "mlp");
        assertThat(providers).allSatisfy(p -> assertThat(p.spiVersion()).isEqualTo(Spi.VERSION));
        assertThat(new Mlp().optionsType()).isEqualTo(MlpOptions.class);
        assertThat(new LeNet300100().optionsType()).isEqualTo(NoOptions.class);
    }
}
