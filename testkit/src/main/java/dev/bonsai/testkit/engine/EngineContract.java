package dev.bonsai.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Spi;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.data.BatchSampler;
import dev.bonsai.api.data.ImageJitter;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.Availability;
import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.engine.Evaluation;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.api.engine.LrSchedule;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.engine.OptimizerSpec;
import dev.bonsai.api.engine.TrainingConfig;
import dev.bonsai.api.engine.TrainingListener;
import dev.bonsai.api.engine.TrainingPlan;
import dev.bonsai.api.engine.TrainingResult;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.PoolKind;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link ComputeEngine}: what every engine must do, as JUnit 5 tests. An engine's test module
 * subclasses it and provides the engine (and, to test another device than {@code cpu}, the device):
 *
 * <pre>{@code
 * class MyEngineContractTest extends EngineContract {
 *     protected ComputeEngine<?> engine() { return new MyEngine(); }
 * }
 * }</pre>
 *
 * <p>The runtime is created once per test class with the engine's default options ({@link #createRuntime()} may be
 * overridden) and closed after the last test. Tests that need the device are skipped, not failed, when the engine
 * reports the device unavailable. All data is synthetic and made in memory.
 */
public abstract class EngineContract extends EngineTestBase {
    /** Cross-entropy with weight 1, the usual training loss. */
    protected static final List<LossTerm> CROSS_ENTROPY = List.of(new LossTerm.CrossEntropy(1));
    /** The input shape of the contract's small models: three-dimensional, so flatten is exercised. */
    protected static final Shape INPUT = Shape.of(2, 2, 2);
    /** The number of classes of the contract's data. */
    protected static final int CLASSES = 3;

    private static final Pattern ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private Split train;
    private Split test;


    /** A training split of 480 linearly separable samples of shape {@link #INPUT} in {@link #CLASSES} classes. */
    protected final Split trainSplit() {
        if (train == null) {
            train = SyntheticData.separable("train", 480, INPUT, CLASSES, 42, 0);
        }
        return train;
    }

    /** A test split of 203 samples from the same distribution as {@link #trainSplit()}. */
    protected final Split testSplit() {
        if (test == null) {
            test = SyntheticData.separable("test", 203, INPUT, CLASSES, 42, 1);
        }
        return test;
    }

    /**
     * A small MLP: flatten, dense 16, {@code first}, dense 12, {@code second}, dense {@link #CLASSES} (biases
     * everywhere).
     */
    protected static ModelSpec mlp(Activation first, Activation second) {
        return new ModelSpec("contract-mlp", INPUT, List.of(new LayerSpec.Flatten("flat"),
                new LayerSpec.Dense("fc1", 16, true), new LayerSpec.Activate("act1", first),
                new LayerSpec.Dense("fc2", 12, true), new LayerSpec.Activate("act2", second),
                new LayerSpec.Dense("out", CLASSES, true)));
    }

    /** The contract's MLP with dropout after each activation. */
    protected static ModelSpec mlpWithDropout(double rate) {
        return new ModelSpec("contract-mlp-dropout", INPUT, List.of(new LayerSpec.Flatten("flat"),
                new LayerSpec.Dense("fc1", 16, true), new LayerSpec.Activate("act1", Activation.RELU),
                new LayerSpec.Dropout("drop1", rate), new LayerSpec.Dense("fc2", 12, true),
                new LayerSpec.Activate("act2", Activation.TANH), new LayerSpec.Dropout("drop2", rate),
                new LayerSpec.Dense("out", CLASSES, true)));
    }

    /** A training configuration with a constant learning rate, no clipping and cross-entropy loss. */
    protected static TrainingConfig config(OptimizerSpec optimizer, int epochs, int batch) {
        return new TrainingConfig(epochs, batch, optimizer, new LrSchedule.Constant(), 0, CROSS_ENTROPY);
    }

    /** A plan without a teacher, starting at sampler epoch 0. */
    protected static TrainingPlan plan(Split data, long seed, TrainingConfig config) {
        return new TrainingPlan(data, new BatchSampler(seed), 0, config, Optional.empty());
    }

    /** The whole split as one batch, in order. */
    protected static Batch all(Split split) {
        int[] order = new int[split.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return split.batch(order, 0, order.length);
    }

    /** Random masks pruning about half of each named parameter, seeded. */
    protected static MaskSet randomMasks(ModelSpec spec, long seed, String... names) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Mask> masks = new LinkedHashMap<>();
        for (String name : names) {
            Shape shape = spec.parameter(name).shape();
            BitSet kept = new BitSet();
            for (int i = 0; i < shape.size(); i++) {
                if (random.nextBoolean()) {
                    kept.set(i);
                }
            }
            masks.put(name, new Mask(shape, kept));
        }
        return new MaskSet(masks);
    }

    // ---------------------------------------------------------------------------------------------------- metadata

    @Test
    public void metadataIsConsistent() {
        ComputeEngine<?> engine = engine();
        assertThat(engine.id()).matches(ID);
        assertThat(engine.spiVersion()).isEqualTo(Spi.VERSION);
        assertThat(engine.description()).isNotBlank();
        assertThat(engine.optionsType()).isNotNull();
        assertThat(engine.optionsType().isRecord()).isTrue();
        assertThat(engine.devices()).isNotEmpty().contains(device());
        for (String d : engine.devices()) {
            Availability a = engine.availability(d);
            assertThat(a).as("availability of %s", d).isNotNull();
            if (!a.available()) {
                assertThat(a.reason()).as("why %s is unavailable", d).isNotBlank();
            }
        }
        assertThat(engine.availability("no-such-device").available()).isFalse();
        assertThat(engine.availability("no-such-device").reason()).isNotBlank();
        assertThat(engine.supportedLayers()).contains(LayerSpec.Dense.class, LayerSpec.Activate.class,
                LayerSpec.Flatten.class, LayerSpec.Dropout.class);
    }

    @Test
    public void runtimeReportsItsEngineAndVersions() {
        assertThat(runtime().engineId()).isEqualTo(engine().id());
        assertThat(runtime().versions()).isNotBlank();
    }

    @Test
    public void unknownDeviceIsRefused() {
        ModelSpec spec = mlp(Activation.RELU, Activation.TANH);
        Weights weights = WeightInitializer.initialize(spec, 1);
        assertThatThrownBy(() -> runtime().build(spec, weights, "no-such-device").close())
                .isInstanceOf(BonsaiException.class).hasMessageContaining("no-such-device");
    }

    @Test
    public void unsupportedLayerIsRefusedNamingIt() {
        List<ModelSpec> candidates = List.of(
                new ModelSpec("conv", Shape.of(1, 6, 6), List.of(
                        new LayerSpec.Conv2d("odd-conv", 2, 3, 1, 0, true), new LayerSpec.Flatten("flat"),
                        new LayerSpec.Dense("out", CLASSES, true))),
                new ModelSpec("pool", Shape.of(1, 6, 6), List.of(
                        new LayerSpec.Pool2d("odd-pool", PoolKind.MAX, 2, 2), new LayerSpec.Flatten("flat"),
                        new LayerSpec.Dense("out", CLASSES, true))),
                new ModelSpec("layer-norm", Shape.of(8), List.of(
                        new LayerSpec.LayerNorm("odd-norm", 1e-5), new LayerSpec.Dense("out", CLASSES, true))),
                new ModelSpec("batch-norm", Shape.of(8), List.of(
                        new LayerSpec.BatchNorm("odd-batch-norm", 0.1, 1e-5), new LayerSpec.Dense("out", CLASSES, true))),
                new ModelSpec("embedding", Shape.of(5), List.of(
                        new LayerSpec.Embedding("odd-embedding", 10, 4), new LayerSpec.Flatten("flat"),
                        new LayerSpec.Dense("out", CLASSES, true))),
                new ModelSpec("residual", Shape.of(8), List.of(
                        new LayerSpec.Residual("odd-residual", List.of(new LayerSpec.Dense("inner", 8, true))),
                        new LayerSpec.Dense("out", CLASSES, true))));
        Optional<ModelSpec> unsupported = candidates.stream()
                .filter(m -> !engine().supportedLayers().contains(m.layers().get(0).getClass()))
                .findFirst();
        Assumptions.assumeTrue(unsupported.isPresent(), "the engine supports every candidate layer");
        ModelSpec spec = unsupported.get();
        LayerSpec layer = spec.layers().get(0);
        Weights weights = WeightInitializer.initialize(spec, 3);
        assertThatThrownBy(() -> runtime().build(spec, weights, device()).close())
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining(layer.name())
                .hasMessageContaining(layer.kind());
    }

    // ------------------------------------------------------------------------------------------------------ weights

    @Test
    public void weightsAreReturnedBitExactly() {
        ModelSpec spec = mlp(Activation.RELU, Activation.TANH);
        Weights initial = WeightInitializer.initialize(spec, 11).copy();
        float[] w = initial.get("fc1.weight").data();
        w[0] = Float.MIN_VALUE;
        w[1] = -0.0f;
        w[2] = 1e30f;
        w[3] = -1e-30f;
        w[4] = Math.nextUp(1f);
        try (Network network = runtime().build(spec, initial, device())) {
            assertThat(network.spec()).isSameAs(spec);
            assertThat(network.device()).isEqualTo(device());
            assertSameWeights(network.weights(), initial);
        }
    }

    @Test
    public void loadWeightsReplacesOnlyTheGivenParametersBitExactly() {
        ModelSpec spec = mlp(Activation.RELU, Activation.TANH);
        Weights initial = WeightInitializer.initialize(spec, 12);
        Weights other = WeightInitializer.initialize(spec, 13);
        try (Network network = runtime().build(spec, initial, device())) {
            network.loadWeights(new Weights(Map.of("fc2.weight", other.get("fc2.weight"))));
            Weights now = network.weights();
            for (String name : spec.parameters().keySet()) {
                Tensor expected = name.equals("fc2.weight") ? other.get(name) : initial.get(name);
                assertThat(now.get(name)).as(name).isEqualTo(expected);
            }
            network.loadWeights(other);
            assertSameWeights(network.weights(), other);
        }
    }

    @Test
    public void weightsAndMasksThatDoNotFitAreRefusedAndChangeNothing() {
        ModelSpec spec = mlp(Activation.RELU, Activation.TANH);
        Weights initial = WeightInitializer.initialize(spec, 14);
        Tensor fc1 = initial.get("fc1.weight");
        try (Network network = runtime().build(spec, initial, device())) {
            // a good tensor beside a bad one: nothing is loaded
            Map<String, Tensor> unknown = new LinkedHashMap<>();
            unknown.put("fc1.weight", WeightInitializer.initialize(spec, 15).get("fc1.weight"));
            unknown.put("fc9.weight", fc1);
            assertThatThrownBy(() -> network.loadWeights(new Weights(unknown)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fc9.weight");
            Tensor transposed = new Tensor(Shape.of(fc1.shape().dim(1), fc1.shape().dim(0)), fc1.data());
            assertThatThrownBy(() -> network.loadWeights(new Weights(Map.of("fc1.weight", transposed))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fc1.weight");
            assertSameWeights(network.weights(), initial);
            Mask wrong = new Mask(transposed.shape(), new BitSet());
            assertThatThrownBy(() -> network.applyMasks(new MaskSet(Map.of("fc1.weight", wrong))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fc1.weight");
            assertThatThrownBy(() -> network.applyMasks(new MaskSet(Map.of("nope", wrong))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
            assertThat(network.masks().isEmpty()).isTrue();
        }
    }

    @Test
    public void sameSeedGivesIdenticalWeightsAndLogits() {
        ModelSpec spec = mlp(Activation.RELU, Activation.TANH);
        Weights a = WeightInitializer.initialize(spec, 5);
        Weights b = WeightInitializer.initialize(spec, 5);
        Weights c = WeightInitializer.initialize(spec, 6);
        assertSameWeights(a, b);
        assertThat(a.get("fc1.weight")).isNotEqualTo(c.get("fc1.weight"));
        Batch batch = all(testSplit());
        float[] first;
        try (Network network = runtime().build(spec, a, device())) {
            first = network.logits(batch).data();
        }
        try (Network network = runtime().build(spec, b, device())) {
            Tensor again = network.logits(batch);
            assertThat(again.shape()).isEqualTo(Shape.of(batch.size(), CLASSES));
            assertThat(again.data()).as("logits on a rebuild from the same seed").containsExactly(first);
        }
    }

    // ---------------------------------------------------------------------------------------------------- forward

    @Test
    public void logitsMatchAPlainJavaForwardPassWithReluAndTanh() {
        checkForward(mlp(Activation.RELU, Activation.TANH), 21);
    }

    @Test
    public void logitsMatchAPlainJavaForwardPassWithSigmoidAndGelu() {
        checkForward(mlp(Activation.SIGMOID, Activation.GELU), 22);
    }

    @Test
    public void logitsIgnoreDropoutAndHandleDenseWithoutBias() {
        ModelSpec spec = new ModelSpec("no-bias", INPUT, List.of(new LayerSpec.Flatten("flat"),
                new LayerSpec.Dense("fc1", 10, false), new LayerSpec.Activate("act1", Activation.GELU),
                new LayerSpec.Dropout("drop", 0.5), new LayerSpec.Dense("out", CLASSES, false)));
        checkForward(spec, 23);
    }

    private void checkForward(ModelSpec spec, long seed) {
        Weights weights = WeightInitializer.initialize(spec, seed);
        Batch batch = all(testSplit());
        double[] expected = HostReference.logits(spec, weights, batch.features().data(), batch.size());
        try (Network network = runtime().build(spec, weights, device())) {
            Tensor logits = network.logits(batch);
            assertThat(logits.shape()).isEqualTo(spec.outputShape().prepend(batch.size()));
            assertClose(logits.data(), expected, 1e-5, "logits");
        }
    }

    // --------------------------------------------------------------------------------------------------- training

    @Test
    public void trainingLowersTheLossAndReachesHighAccuracy() {
        ModelSpec spec = mlp(Activation.RELU, Activation.TANH);
        Weights initial = WeightInitializer.initialize(spec, 31);
        TrainingConfig config = config(new OptimizerSpec.Sgd(0.05, 0.9, false, 0), 8, 32);
        TrainingPlan plan = plan(trainSplit(), 7, config);
        RecordingListener listener = new RecordingListener();
        try (Network network = runtime().build(spec, initial, device())) {
            Evaluation before = network.evaluate(testSplit(), 64);
            TrainingResult result = network.train(plan, listener);
            Evaluation after = network.evaluate(testSplit(), 64);

            long stepsPerEpoch = trainSplit().size() / 32;
            assertThat(result.steps()).isEqualTo(8 * stepsPerEpoch);
            assertThat(result.epochLosses()).hasSize(8).allMatch(Double::isFinite);
            assertThat(result.seconds()).isGreaterThanOrEqualTo(0);
            assertThat(result.epochLosses().get(7)).isLessThan(result.epochLosses().get(0) * 0.5);
            assertThat(after.loss()).isLessThan(before.loss());
            assertThat(after.accuracy()).as("test accuracy after training").isGreaterThanOrEqualTo(0.95);

            assertThat(listener.started).isEqualTo(8 * stepsPerEpoch);
            assertThat(listener.steps).isEqualTo(8 * stepsPerEpoch);
            assertThat(listener.lastStep).isEqualTo(8 * stepsPerEpoch - 1);
            assertThat(listener.epochs).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
            assertThat(listener.losses).containsExactlyElementsOf(result.epochLosses());
        }
    }

    @Test
    public void adamTrainingLowersTheLoss() {
        ModelSpec spec = mlp(Activation.GELU, Activation.SIGMOID);
        Weights initial = WeightInitializer.initialize(spec, 32);
        TrainingConfig config = config(new OptimizerSpec.Adam(0.01, 0.9, 0.999, 1e-8, 0, false), 6, 32);
        try (Network network = runtime().build(spec, initial, device())) {
            TrainingResult result = network.train(plan(trainSplit(), 8, config), TrainingListener.NONE);
            assertThat(result.epochLosses().get(5)).isLessThan(result.epochLosses().get(0) * 0.5);
            assertThat(network.evaluate(testSplit(), 50).accuracy()).isGreaterThanOrEqualTo(0.9);
        }
    }

    @Test
    public void trainingIsDeterministic() {
        assumeCpu();
        ModelSpec spec = mlp(Activation.RELU, Activation.TANH);
        checkDeterministic(spec, new OptimizerSpec.Sgd(0.05, 0.9, true, 1e-4));
        checkDeterministic(spec, new OptimizerSpec.Adam(0.01, 0.9, 0.999, 1e-8, 1e-2, true));
    }

    @Test
    public void trainingWithDropoutIsDeterministic() {
        assumeCpu();
        checkDeterministic(mlpWithDropout(0.2), new OptimizerSpec.Sgd(0.05, 0.9, false, 0));
    }

    private void checkDeterministic(ModelSpec spec, OptimizerSpec optimizer) {
        Weights initial = WeightInitializer.initialize(spec, 33);
        TrainingPlan plan = plan(trainSplit(), 9, config(optimizer, 3, 16));
        TrainingResult first;
        Weights firstWeights;
        try (Network network = runtime().build(spec, initial, device())) {
            first = network.train(plan, TrainingListener.NONE);
            firstWeights = network.weights();
        }
        try (Network network = runtime().build(spec, initial, device())) {
            TrainingResult second = network.train(plan, TrainingListener.NONE);
            assertThat(second.epochLosses()).containsExactlyElementsOf(first.epochLosses());
            assertSameWeights(network.weights(), firstWeights);
        }
        assertThat(firstWeights.get("fc1.weight")).isNotEqualTo(initial.get("fc1.weight"));
    }

    /**
     * A compact (byte-backed) image split and the float split decoded from it train to the same weights and losses
     * and evaluate to the same figures, with and without augmentation: engines read either the same way.
     */
    @Test
    public void aCompactSplitTrainsAndEvaluatesExactlyAsItsFloatTwin() {
        assumeCpu();
        Shape image = Shape.of(3, 6, 6);
        int n = 96;
        SplittableRandom random = new SplittableRandom(61);
        byte[] bytes = new byte[n * (int) image.size()];
        int[] labels = new int[n];
        float[][] tables = new float[3][256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                tables[c][v] = (float) ((v / 255.0 - 0.45 - 0.02 * c) / (0.25 + 0.01 * c));
            }
        }
        float[] decoded = new float[bytes.length];
        int plane = 36;
        for (int s = 0; s < n; s++) {
            labels[s] = random.nextInt(CLASSES);
            for (int p = 0; p < image.size(); p++) {
                // brighter in the label's channel, so there is something to learn
                int c = p / plane;
                int v = Math.min(255, random.nextInt(160) + (c == labels[s] ? 90 : 0));
                int i = s * (int) image.size() + p;
                bytes[i] = (byte) v;
                decoded[i] = tables[c][v];
            }
        }
        Split compact = Split.ofBytes("compact", image, bytes, labels, tables);
        Split floats = new Split("floats", image, decoded, labels);
        ModelSpec spec = new ModelSpec("contract-image-mlp", image, List.of(new LayerSpec.Flatten("flat"),
                new LayerSpec.Dense("fc1", 16, true), new LayerSpec.Activate("act1", Activation.RELU),
                new LayerSpec.Dense("out", CLASSES, true)));
        Weights initial = WeightInitializer.initialize(spec, 62);
        TrainingConfig plain = config(new OptimizerSpec.Sgd(0.05, 0.9, false, 0), 2, 16);
        TrainingConfig jittered = new TrainingConfig(2, 16, plain.optimizer(), plain.schedule(), 0, CROSS_ENTROPY,
                Optional.of(new ImageJitter(1, true, new float[] {tables[0][0], tables[1][0], tables[2][0]})));
        for (TrainingConfig config : List.of(plain, jittered)) {
            TrainingResult expected;
            Weights expectedWeights;
            Evaluation expectedEvaluation;
            try (Network network = runtime().build(spec, initial, device())) {
                expected = network.train(plan(floats, 63, config), TrainingListener.NONE);
                expectedWeights = network.weights();
                expectedEvaluation = network.evaluate(floats, 40);
            }
            try (Network network = runtime().build(spec, initial, device())) {
                TrainingResult actual = network.train(plan(compact, 63, config), TrainingListener.NONE);
                assertThat(actual.epochLosses()).as(config.augmentation().isPresent() ? "augmented" : "plain")
                        .containsExactlyElementsOf(expected.epochLosses());
                assertSameWeights(network.weights(), expectedWeights);
                Evaluation evaluation = network.evaluate(compact, 40);
                assertThat(evaluation.loss()).isEqualTo(expectedEvaluation.loss());
                assertThat(evaluation.accuracy()).isEqualTo(expectedEvaluation.accuracy());
            }
            assertThat(expectedWeights.get("fc1.weight")).isNotEqualTo(initial.get("fc1.weight"));
        }
        assertThat(compact.heldBytes()).as("training must not materialise the compact split's floats")
                .isEqualTo(bytes.length + 4L * n);
    }

    /**
     * Language-model windows held as views of one token stream train and evaluate exactly as the same windows
     * copied out as floats and ints, and training leaves the stream uncopied.
     */
    @Test
    public void tokenWindowsTrainAndEvaluateExactlyAsWindowsCopiedOut() {
        assumeCpu();
        int context = 4;
        int stride = 3;
        int vocab = 7;
        SplittableRandom random = new SplittableRandom(71);
        int[] tokens = new int[301];
        for (int i = 1; i < tokens.length; i++) {
            // mostly the successor of the previous token, so there is something to learn
            tokens[i] = random.nextInt(4) == 0 ? random.nextInt(vocab) : (tokens[i - 1] + 1) % vocab;
        }
        Split view = Split.ofTokenWindows("view", tokens, context, stride);
        int count = view.size();
        float[] f = new float[count * context];
        int[] l = new int[count * context];
        for (int w = 0; w < count; w++) {
            for (int t = 0; t < context; t++) {
                f[w * context + t] = tokens[w * stride + t];
                l[w * context + t] = tokens[w * stride + t + 1];
            }
        }
        Split dense = new Split("dense", Shape.of(context), f, l, context);
        ModelSpec spec = new ModelSpec("contract-lm", Shape.of(context), List.of(
                new LayerSpec.Embedding("embed", vocab, 6), new LayerSpec.Dense("hidden", 8, true),
                new LayerSpec.Activate("act", Activation.TANH), new LayerSpec.Dense("out", vocab, true)));
        Weights initial = WeightInitializer.initialize(spec, 72);
        TrainingConfig config = config(new OptimizerSpec.Sgd(0.1, 0.9, false, 0), 2, 8);
        TrainingResult expected;
        Weights expectedWeights;
        Evaluation expectedEvaluation;
        try (Network network = runtime().build(spec, initial, device())) {
            expected = network.train(plan(dense, 73, config), TrainingListener.NONE);
            expectedWeights = network.weights();
            expectedEvaluation = network.evaluate(dense, 30);
        }
        long held = view.heldBytes();
        try (Network network = runtime().build(spec, initial, device())) {
            TrainingResult actual = network.train(plan(view, 73, config), TrainingListener.NONE);
            assertThat(actual.epochLosses()).containsExactlyElementsOf(expected.epochLosses());
            assertSameWeights(network.weights(), expectedWeights);
            Evaluation evaluation = network.evaluate(view, 30);
            assertThat(evaluation.loss()).isEqualTo(expectedEvaluation.loss());
            assertThat(evaluation.accuracy()).isEqualTo(expectedEvaluation.accuracy());
        }
        assertThat(expected.epochLosses().get(1)).isLessThan(expected.epochLosses().get(0));
        assertThat(view.heldBytes()).as("training must not copy the windows out of the stream").isEqualTo(held)
                .isEqualTo(2L * tokens.length);
    }

    @Test
    public void aLaterCallContinuesTheSamplerSequenceFromFirstEpoch() {
        assumeCpu();
        ModelSpec spec = mlp(Activation.RELU, Activation.TANH);
        Weights initial = WeightInitializer.initialize(spec, 34);
        OptimizerSpec sgd = new OptimizerSpec.Sgd(0.05, 0, false, 0);
        TrainingConfig two = config(sgd, 2, 32);
        Weights together;
        try (Network network = runtime().build(spec, initial, device())) {
            network.train(plan(trainSplit(), 10, two), TrainingListener.NONE);
            together = network.weights();
        }
        try (Network network = runtime().build(spec, initial, device())) {
            BatchSampler sampler = new BatchSampler(10);
            network.train(new TrainingPlan(trainSplit(), sampler, 0, two.withEpochs(1), Optional.empty()),
                    TrainingListener.NONE);
            network.train(new TrainingPlan(trainSplit(), sampler, 1, two.withEpochs(1), Optional.empty()),
                    TrainingListener.NONE);
            assertSameWeights(network.weights(), together);
        }
    }

    // ------------------------------------------------------------------------------------------------------ masks

    @Test
    public void masksAreEnforcedThroughSgdWithNesterovMomentumAndWeightDecay() {
        checkMasksEnforced(new OptimizerSpec.Sgd(0.05, 0.9, true, 1e-2));
    }

    @Test
    public void masksAreEnforcedThroughSgdWithMomentum() {
        checkMasksEnforced(new OptimizerSpec.Sgd(0.05, 0.9, false, 1e-3));
    }

    @Test
    public void masksAreEnforcedThroughAdam() {
        checkMasksEnforced(new OptimizerSpec.Adam(0.01, 0.9, 0.999, 1e-8, 1e-2, false));
    }

    @Test
    public void masksAreEnforcedThroughAdamW() {
        checkMasksEnforced(new OptimizerSpec.Adam(0.01, 0.9, 0.999, 1e-8, 1e-1, true));
    }

    private void checkMasksEnforced(OptimizerSpec optimizer) {
        ModelSpec spec = mlp(Activation.RELU, Activation.TANH);
        Weights initial = WeightInitializer.initialize(spec, 41);
        MaskSet masks = randomMasks(spec, 42, "fc1.weight", "fc2.weight", "out.weight", "fc1.bias");
        try (Network network = runtime().build(spec, initial, device())) {
            network.applyMasks(masks);
            assertThat(network.masks().asMap()).isEqualTo(masks.asMap());
            Weights before = network.weights();
            assertMaskedZero(before, masks, "right after applyMasks");
            assertKeptUnchanged(before, initial, masks);
            for (int call = 0; call < 3; call++) {
                TrainingConfig config = config(optimizer, 2, 16);
                network.train(new TrainingPlan(trainSplit(), new BatchSampler(43), 2 * call, config,
                        Optional.empty()), TrainingListener.NONE);
                assertMaskedZero(network.weights(), masks, "after training call " + call);
            }
            assertKeptMostlyChanged(before, network.weights(), masks);
            assertThat(network.masks().asMap()).isEqualTo(masks.asMap());
        }
    }

    /**
     * Channel pruning masks a conv's whole filters together with their biases and the gamma and beta of the batch
     * norm after it (so the channel emits exact zeros); every engine must keep all of them at zero through training,
     * where batch norm normalises with the batch's statistics.
     */
    @Test
    public void masksOnConvFiltersBiasesAndBatchNormParametersAreEnforced() {
        Assumptions.assumeTrue(engine().supportedLayers().containsAll(List.of(LayerSpec.Conv2d.class,
                LayerSpec.BatchNorm.class)), "the engine runs no conv or batch-norm layers");
        ModelSpec spec = new ModelSpec("contract-conv", INPUT, List.of(new LayerSpec.Conv2d("conv", 4, 2, 1, 1, true),
                new LayerSpec.BatchNorm("bn", 0.1, 1e-5), new LayerSpec.Activate("relu", Activation.RELU),
                new LayerSpec.Flatten("flat"), new LayerSpec.Dense("out", CLASSES, true)));
        BitSet filters = new BitSet();
        filters.set(0, 32);
        filters.clear(8, 16);
        filters.clear(24, 32);
        BitSet channels = new BitSet();
        channels.set(0);
        channels.set(2);
        Map<String, Mask> m = new LinkedHashMap<>();
        m.put("conv.weight", new Mask(spec.parameter("conv.weight").shape(), filters));
        for (String companion : List.of("conv.bias", "bn.weight", "bn.bias")) {
            m.put(companion, new Mask(Shape.of(4), channels));
        }
        MaskSet masks = new MaskSet(m);
        for (OptimizerSpec optimizer : List.of(new OptimizerSpec.Sgd(0.05, 0.9, true, 1e-2),
                new OptimizerSpec.Adam(0.01, 0.9, 0.999, 1e-8, 1e-1, true))) {
            Weights initial = WeightInitializer.initialize(spec, 53);
            try (Network network = runtime().build(spec, initial, device())) {
                network.applyMasks(masks);
                Weights before = network.weights();
                assertMaskedZero(before, masks, "right after applyMasks");
                network.train(plan(trainSplit(), 54, config(optimizer, 2, 16)), TrainingListener.NONE);
                assertMaskedZero(network.weights(), masks, "after training with " + optimizer);
                assertKeptMostlyChanged(before, network.weights(), masks);
            }
        }
    }

    @Test
    public void loadWeightsZeroesMaskedPositionsAgain() {
        ModelSpec spec = mlp(Activation.RELU, Activation.TANH);
        Weights initial = WeightInitializer.initialize(spec, 44);
        MaskSet masks = randomMasks(spec, 45, "fc1.weight", "out.weight");
        try (Network network = runtime().build(spec, initial, device())) {
            network.applyMasks(masks);
            network.loadWeights(initial);
            Weights now = network.weights();
            assertMaskedZero(now, masks, "after loadWeights");
            assertKeptUnchanged(now, initial, masks);
        }
    }

    @Test
    public void clearMasksLetsPrunedWeightsGrowAgain() {
        ModelSpec spec = mlp(Activation.RELU, Activation.TANH);
        Weights initial = WeightInitializer.initialize(spec, 46);
        MaskSet masks = randomMasks(spec, 47, "fc1.weight", "fc2.weight");
        try (Network network = runtime().build(spec, initial, device())) {
            network.applyMasks(masks);
            network.train(plan(trainSplit(), 48, config(new OptimizerSpec.Sgd(0.05, 0.9, false, 0), 1, 16)),
                    TrainingListener.NONE);
            assertMaskedZero(network.weights(), masks, "before clearMasks");
            network.clearMasks();
            assertThat(network.masks().isEmpty()).isTrue();
            assertMaskedZero(network.weights(), masks, "right after clearMasks (weights keep their values)");
            network.train(plan(trainSplit(), 49, config(new OptimizerSpec.Sgd(0.05, 0.9, false, 0), 2, 16)),
                    TrainingListener.NONE);
            Weights after = network.weights();
            long pruned = 0;
            long grown = 0;
            for (Map.Entry<String, Mask> e : masks.asMap().entrySet()) {
                float[] data = after.get(e.getKey()).data();
                for (int i = 0; i < data.length; i++) {
                    if (!e.getValue().kept(i)) {
                        pruned++;
                        if (data[i] != 0f) {
                            grown++;
                        }
                    }
                }
            }
            assertThat(grown).as("formerly pruned weights that are no longer zero").isGreaterThan(pruned * 9 / 10);
        }
    }

    // ------------------------------------------------------------------------------------------------- evaluation

    @Test
    public void evaluationMatchesAHostComputationFromLogits() {
        ModelSpec spec = mlp(Activation.RELU, Activation.TANH);
        Weights initial = WeightInitializer.initialize(spec, 51);
        Split data = testSplit();
        try (Network network = runtime().build(spec, initial, device())) {
            network.train(plan(trainSplit(), 52, config(new OptimizerSpec.Sgd(0.02, 0.9, false, 0), 1, 32)),
                    TrainingListener.NONE);
            Evaluation host = HostReference.evaluate(network.logits(all(data)).data(), data.labels(), CLASSES);
            for (int batch : new int[] {7, 64, 1000}) {
                Evaluation evaluation = network.evaluate(data, batch);
                assertThat(evaluation.samples()).as("samples at batch %d", batch).isEqualTo(data.size());
                assertThat(evaluation.accuracy()).as("accuracy at batch %d", batch).isEqualTo(host.accuracy());
                assertThat(Math.abs(evaluation.loss() - host.loss()))
                        .as("loss %s vs host %s at batch %d", evaluation.loss(), host.loss(), batch)
                        .isLessThanOrEqualTo(1e-5 * Math.max(1, host.loss()));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    /** Skips the calling test unless the device is the CPU, where bit-exact determinism is required. */
    protected final void assumeCpu() {
        Assumptions.assumeTrue("cpu".equals(device()), "bit-exact determinism is only required on the CPU");
    }

    /** Asserts two weight sets hold the same names, shapes and bits. */
    protected static void assertSameWeights(Weights actual, Weights expected) {
        assertThat(actual.asMap().keySet()).containsExactlyInAnyOrderElementsOf(expected.asMap().keySet());
        for (String name : expected.asMap().keySet()) {
            Tensor a = actual.get(name);
            Tensor e = expected.get(name);
            assertThat(a.shape()).as(name).isEqualTo(e.shape());
            for (int i = 0; i < e.size(); i++) {
                if (Float.floatToRawIntBits(a.data()[i]) != Float.floatToRawIntBits(e.data()[i])) {
                    throw new AssertionError(name + "[" + i + "] is " + a.data()[i] + " but should be exactly "
                            + e.data()[i]);
                }
            }
        }
    }

    /** Asserts every element is within {@code relative} of the expected tensor's largest magnitude. */
    protected static void assertClose(float[] actual, double[] expected, double relative, String what) {
        assertThat(actual).as(what).hasSize(expected.length);
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        double tolerance = relative * Math.max(scale, 1e-6);
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= tolerance)) {
                throw new AssertionError(what + "[" + i + "] is " + actual[i] + " but should be " + expected[i]
                        + " within " + tolerance);
            }
        }
    }

    /** Asserts that every pruned element is exactly zero. */
    protected static void assertMaskedZero(Weights weights, MaskSet masks, String when) {
        for (Map.Entry<String, Mask> e : masks.asMap().entrySet()) {
            float[] data = weights.get(e.getKey()).data();
            List<Integer> bad = new ArrayList<>();
            for (int i = 0; i < data.length; i++) {
                if (!e.getValue().kept(i) && data[i] != 0f) {
                    bad.add(i);
                }
            }
            assertThat(bad).as("pruned elements of %s that are not zero %s", e.getKey(), when).isEmpty();
        }
    }

    private static void assertKeptUnchanged(Weights actual, Weights expected, MaskSet masks) {
        for (String name : expected.asMap().keySet()) {
            float[] a = actual.get(name).data();
            float[] e = expected.get(name).data();
            Optional<Mask> mask = masks.get(name);
            for (int i = 0; i < e.length; i++) {
                if (mask.isEmpty() || mask.get().kept(i)) {
                    assertThat(a[i]).as("%s[%d]", name, i).isEqualTo(e[i]);
                }
            }
        }
    }

    private static void assertKeptMostlyChanged(Weights before, Weights after, MaskSet masks) {
        for (Map.Entry<String, Mask> e : masks.asMap().entrySet()) {
            float[] b = before.get(e.getKey()).data();
            float[] a = after.get(e.getKey()).data();
            int kept = 0;
            int changed = 0;
            for (int i = 0; i < b.length; i++) {
                if (e.getValue().kept(i)) {
                    kept++;
                    if (a[i] != b[i]) {
                        changed++;
                    }
                }
            }
            assertThat(changed).as("kept elements of %s that training changed", e.getKey())
                    .isGreaterThanOrEqualTo(kept * 9 / 10);
        }
    }

    /** Records what a training call reports. */
    private static final class RecordingListener implements TrainingListener {
        long started = -1;
        long steps;
        long lastStep = -1;
        final List<Integer> epochs = new ArrayList<>();
        final List<Double> losses = new ArrayList<>();
        private final AtomicLong order = new AtomicLong();

        @Override
        public void started(long totalSteps) {
            assertThat(order.getAndIncrement()).as("started is called first, once").isZero();
            started = totalSteps;
        }

        @Override
        public void stepped(long step) {
            assertThat(step).as("steps are numbered in order").isEqualTo(lastStep + 1);
            lastStep = step;
            steps++;
            order.incrementAndGet();
        }

        @Override
        public void epochEnded(int epoch, double meanLoss) {
            epochs.add(epoch);
            losses.add(meanLoss);
            order.incrementAndGet();
        }
    }
}
