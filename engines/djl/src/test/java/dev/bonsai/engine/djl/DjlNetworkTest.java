package dev.bonsai.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.data.BatchSampler;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.engine.GradientProbe;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.api.engine.LrSchedule;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.engine.OptimizerSpec;
import dev.bonsai.api.engine.TrainingConfig;
import dev.bonsai.api.engine.TrainingListener;
import dev.bonsai.api.engine.TrainingPlan;
import dev.bonsai.api.engine.TrainingResult;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.testkit.engine.SyntheticData;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** DJL-specific checks: optimizer steps against hand computations, gradients, errors, metadata, leaks. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DjlNetworkTest {
    private static final int IN = 3;
    private static final int OUT = 2;
    private static final ModelSpec TINY = new ModelSpec("tiny", Shape.of(IN),
            List.of(new LayerSpec.Dense("fc", OUT, true)));

    private DjlRuntime runtime;

    @BeforeAll
    void start() {
        runtime = new DjlEngine().create(DjlOptions.defaults());
    }

    @AfterAll
    void stop() {
        runtime.close();
    }

    private static Split tinyData(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n * IN];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        for (int i = 0; i < n; i++) {
            y[i] = random.nextInt(OUT);
        }
        return new Split("tiny", Shape.of(IN), x, y);
    }

    private static TrainingConfig config(OptimizerSpec optimizer, int epochs, int batch, LrSchedule schedule,
            double clip) {
        return new TrainingConfig(epochs, batch, optimizer, schedule, clip, List.of(new LossTerm.CrossEntropy(1)));
    }

    // ------------------------------------------------------------------------------------------ hand computations

    @Test
    void sgdStepsWithMomentumMatchAHandComputation() {
        checkAgainstHand(new OptimizerSpec.Sgd(0.1, 0.9, false, 0), new LrSchedule.Constant(), 0);
    }

    @Test
    void sgdStepsWithNesterovWeightDecayAndScheduleMatchAHandComputation() {
        checkAgainstHand(new OptimizerSpec.Sgd(0.2, 0.8, true, 0.05), new LrSchedule.Cosine(1, 0.1), 0);
    }

    @Test
    void adamStepsMatchAHandComputation() {
        checkAgainstHand(new OptimizerSpec.Adam(0.05, 0.9, 0.99, 1e-3, 0.1, false), new LrSchedule.StepDecay(1, 0.5), 0);
    }

    @Test
    void adamWStepsWithGradientClippingMatchAHandComputation() {
        checkAgainstHand(new OptimizerSpec.Adam(0.05, 0.8, 0.95, 1e-8, 0.2, true), new LrSchedule.Constant(), 0.05);
    }

    @Test
    void sgdWithClippingMatchesAHandComputation() {
        checkAgainstHand(new OptimizerSpec.Sgd(0.5, 0.9, false, 0), new LrSchedule.Constant(), 0.1);
    }

    /** The max-norm constraint binds (the bound is below the rows' norms after a step) and matches by hand. */
    @Test
    void sgdWithMaxNormMatchesAHandComputation() {
        double bound = 0.3;
        float[] trained = checkAgainstHand(new OptimizerSpec.Sgd(0.5, 0.9, false, 0), new LrSchedule.Constant(), 0,
                bound);
        for (int o = 0; o < OUT; o++) {
            double norm = 0;
            for (int i = 0; i < IN; i++) {
                norm += trained[o * IN + i] * trained[o * IN + i];
            }
            assertThat(Math.sqrt(norm)).as("norm of row %d", o).isCloseTo(bound, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    private void checkAgainstHand(OptimizerSpec optimizer, LrSchedule schedule, double clip) {
        checkAgainstHand(optimizer, schedule, clip, 0);
    }

    /**
     * Two epochs of two steps of four samples each, against the same steps in double precision; returns the trained
     * weight matrix.
     */
    private float[] checkAgainstHand(OptimizerSpec optimizer, LrSchedule schedule, double clip, double maxNorm) {
        Split data = tinyData(8, 3);
        Weights initial = WeightInitializer.initialize(TINY, 4);
        TrainingConfig config = new TrainingConfig(2, 4, optimizer, schedule, clip,
                List.of(new LossTerm.CrossEntropy(1)), Optional.empty(), maxNorm);
        BatchSampler sampler = new BatchSampler(5);
        TrainingResult result;
        Weights trained;
        try (DjlNetwork network = runtime.build(TINY, initial, "cpu")) {
            result = network.train(new TrainingPlan(data, sampler, 3, config, Optional.empty()), TrainingListener.NONE);
            trained = network.weights();
        }
        Hand hand = new Hand(initial);
        double[] losses = new double[2];
        long step = 0;
        for (int e = 0; e < 2; e++) {
            int[] order = sampler.order(8, 3 + e);
            for (int s = 0; s < 2; s++, step++) {
                double lr = optimizer.lr() * schedule.factor(step, 4, 2);
                losses[e] += hand.step(data, order, s * 4, 4, optimizer, lr, step + 1, clip, maxNorm) / 2;
            }
        }
        assertThat(result.steps()).isEqualTo(4);
        assertThat(result.epochLosses().get(0)).isCloseTo(losses[0], org.assertj.core.data.Offset.offset(1e-5));
        assertThat(result.epochLosses().get(1)).isCloseTo(losses[1], org.assertj.core.data.Offset.offset(1e-5));
        assertClose(trained.get("fc.weight").data(), hand.w, "fc.weight");
        assertClose(trained.get("fc.bias").data(), hand.b, "fc.bias");
        return trained.get("fc.weight").data();
    }

    private static void assertClose(float[] actual, double[] expected, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("%s[%d]", what, i)
                    .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(2e-6 * Math.max(1, Math.abs(expected[i]))));
        }
    }

    /** A dense softmax classifier trained in double precision with PyTorch's optimizer formulas. */
    private static final class Hand {
        final double[] w = new double[OUT * IN];
        final double[] b = new double[OUT];
        final double[] bufW = new double[OUT * IN];
        final double[] bufB = new double[OUT];
        final double[] secondW = new double[OUT * IN];
        final double[] secondB = new double[OUT];

        Hand(Weights initial) {
            float[] fw = initial.get("fc.weight").data();
            float[] fb = initial.get("fc.bias").data();
            for (int i = 0; i < w.length; i++) {
                w[i] = fw[i];
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = fb[i];
            }
        }

        /** One step on {@code order[from, from+n)}; returns the batch's mean loss before the update. */
        double step(Split data, int[] order, int from, int n, OptimizerSpec optimizer, double lr, long t, double clip,
                double maxNorm) {
            double[] gw = new double[w.length];
            double[] gb = new double[b.length];
            double loss = 0;
            for (int k = 0; k < n; k++) {
                int sample = order[from + k];
                double[] z = new double[OUT];
                for (int o = 0; o < OUT; o++) {
                    z[o] = b[o];
                    for (int i = 0; i < IN; i++) {
                        z[o] += w[o * IN + i] * data.features()[sample * IN + i];
                    }
                }
                double max = Math.max(z[0], z[1]);
                double sum = 0;
                for (double v : z) {
                    sum += Math.exp(v - max);
                }
                int label = data.labels()[sample];
                loss += (max + Math.log(sum) - z[label]) / n;
                for (int o = 0; o < OUT; o++) {
                    double dz = (Math.exp(z[o] - max) / sum - (o == label ? 1 : 0)) / n;
                    gb[o] += dz;
                    for (int i = 0; i < IN; i++) {
                        gw[o * IN + i] += dz * data.features()[sample * IN + i];
                    }
                }
            }
            if (clip > 0) {
                double norm = 0;
                for (double g : gw) {
                    norm += g * g;
                }
                for (double g : gb) {
                    norm += g * g;
                }
                double coefficient = Math.min(1, clip / (Math.sqrt(norm) + 1e-6));
                for (int i = 0; i < gw.length; i++) {
                    gw[i] *= coefficient;
                }
                for (int i = 0; i < gb.length; i++) {
                    gb[i] *= coefficient;
                }
            }
            update(w, gw, bufW, secondW, optimizer, lr, t);
            update(b, gb, bufB, secondB, optimizer, lr, t);
            if (maxNorm > 0) {
                for (int o = 0; o < OUT; o++) {
                    double norm = 0;
                    for (int i = 0; i < IN; i++) {
                        norm += w[o * IN + i] * w[o * IN + i];
                    }
                    double factor = Math.min(1, maxNorm / (Math.sqrt(norm) + 1e-7));
                    for (int i = 0; i < IN; i++) {
                        w[o * IN + i] *= factor;
                    }
                }
            }
            return loss;
        }

        private static void update(double[] p, double[] g, double[] first, double[] second, OptimizerSpec optimizer,
                double lr, long t) {
            if (optimizer instanceof OptimizerSpec.Sgd sgd) {
                for (int i = 0; i < p.length; i++) {
                    double d = g[i] + sgd.weightDecay() * p[i];
                    if (sgd.momentum() != 0) {
                        first[i] = t == 1 ? d : sgd.momentum() * first[i] + d;
                        d = sgd.nesterov() ? d + sgd.momentum() * first[i] : first[i];
                    }
                    p[i] -= lr * d;
                }
            } else if (optimizer instanceof OptimizerSpec.Adam adam) {
                for (int i = 0; i < p.length; i++) {
                    double d = g[i];
                    if (adam.decoupled()) {
                        p[i] *= 1 - lr * adam.weightDecay();
                    } else {
                        d += adam.weightDecay() * p[i];
                    }
                    first[i] = adam.beta1() * first[i] + (1 - adam.beta1()) * d;
                    second[i] = adam.beta2() * second[i] + (1 - adam.beta2()) * d * d;
                    double c1 = 1 - Math.pow(adam.beta1(), t);
                    double c2 = 1 - Math.pow(adam.beta2(), t);
                    p[i] -= lr / c1 * first[i] / (Math.sqrt(second[i]) / Math.sqrt(c2) + adam.epsilon());
                }
            }
        }
    }

    // -------------------------------------------------------------------------------------------------- gradients

    @Test
    void gradientProbeSumsTheMeanLossGradientOfEachBatch() {
        Split data = tinyData(10, 6);
        Weights initial = WeightInitializer.initialize(TINY, 7);
        int[] order = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        List<Batch> batches = List.of(data.batch(order, 0, 4), data.batch(order, 4, 10));
        try (DjlNetwork network = runtime.build(TINY, initial, "cpu")) {
            GradientProbe probe = network.capability(GradientProbe.class).orElseThrow();
            Weights g = probe.gradientSum(batches);
            Hand hand = new Hand(initial);
            double[] expectedW = new double[OUT * IN];
            double[] expectedB = new double[OUT];
            for (Batch batch : batches) {
                // an SGD step with lr = -1 and no momentum adds the gradient to zeroed parameters
                Hand zero = new Hand(initial);
                Split split = new Split("b", Shape.of(IN), batch.features().data(), batch.labels());
                int[] identity = new int[batch.size()];
                for (int i = 0; i < identity.length; i++) {
                    identity[i] = i;
                }
                zero.step(split, identity, 0, batch.size(), new OptimizerSpec.Sgd(1, 0, false, 0), -1, 1, 0, 0);
                for (int i = 0; i < expectedW.length; i++) {
                    expectedW[i] += zero.w[i] - hand.w[i];
                }
                for (int i = 0; i < expectedB.length; i++) {
                    expectedB[i] += zero.b[i] - hand.b[i];
                }
            }
            assertClose(g.get("fc.weight").data(), expectedW, "gradient of fc.weight");
            assertClose(g.get("fc.bias").data(), expectedB, "gradient of fc.bias");
            // the probe leaves the network as it was
            assertThat(network.weights().get("fc.weight")).isEqualTo(initial.get("fc.weight"));
            // djl has native Hessian-vector products (checked in DjlProbeContractTest)
            assertThat(network.capability(dev.bonsai.api.engine.HessianVectorProbe.class)).isPresent();
        }
    }

    // ----------------------------------------------------------------------------------------------------- errors

    @Test
    void aTeacherOnThisEngineTeachesAsItWouldThroughTheApi() {
        // the native path (device arrays, tapped forward pass) and the API path (host batches, logits and the
        // activation probe) must train the student identically
        Split data = tinyData(32, 8);
        ModelSpec teacherSpec = new ModelSpec("teacher", TINY.inputShape(), List.of(
                new dev.bonsai.api.model.LayerSpec.Dense("fc1", 12, true),
                new dev.bonsai.api.model.LayerSpec.Activate("relu1", dev.bonsai.api.model.Activation.RELU),
                new dev.bonsai.api.model.LayerSpec.Dense("out", TINY.outputShape().dim(0), true)));
        for (List<LossTerm> loss : List.<List<LossTerm>>of(
                List.of(new LossTerm.SoftTargetKl(0.6, 3), new LossTerm.CrossEntropy(0.4), new LossTerm.LogitMse(0.1)),
                List.of(new LossTerm.HintMse(1, "relu1", TINY.layers().get(0).name())))) {
            TrainingConfig config = new TrainingConfig(2, 8, new OptimizerSpec.Sgd(0.1, 0.9, false, 0),
                    new LrSchedule.Constant(), 0, loss);
            try (DjlNetwork teacher = runtime.build(teacherSpec, WeightInitializer.initialize(teacherSpec, 5), "cpu");
                    DjlNetwork a = runtime.build(TINY, WeightInitializer.initialize(TINY, 1), "cpu");
                    DjlNetwork b = runtime.build(TINY, WeightInitializer.initialize(TINY, 1), "cpu")) {
                Network viaApi = (Network) java.lang.reflect.Proxy.newProxyInstance(Network.class.getClassLoader(),
                        new Class<?>[] {Network.class}, (proxy, method, args) -> method.invoke(teacher, args));
                var first = a.train(new TrainingPlan(data, new BatchSampler(1), 0, config, Optional.of(teacher)),
                        TrainingListener.NONE);
                var second = b.train(new TrainingPlan(data, new BatchSampler(1), 0, config, Optional.of(viaApi)),
                        TrainingListener.NONE);
                assertThat(second.epochLosses()).as("losses of %s", loss).containsExactlyElementsOf(first.epochLosses());
                for (String name : TINY.parameters().keySet()) {
                    assertThat(b.weights().get(name).data()).as("%s under %s", name, loss)
                            .containsExactly(a.weights().get(name).data());
                }
            }
        }
    }

    @Test
    void anAugmentedStudentAndItsTeacherSeeTheSameJitteredBatches() {
        // with an augmentation the batch is gathered on the host: the native teacher (device rows) and a teacher
        // through the API (host batches) must both see the jittered batch the student sees, and the jitter must
        // change what the student learns
        Shape image = Shape.of(1, 4, 4);
        Split data = SyntheticData.random("train", 32, image, OUT, 9);
        ModelSpec student = new ModelSpec("student", image, List.of(new dev.bonsai.api.model.LayerSpec.Flatten("flat"),
                new dev.bonsai.api.model.LayerSpec.Dense("fc", OUT, true)));
        ModelSpec teacherSpec = new ModelSpec("teacher", image, List.of(
                new dev.bonsai.api.model.LayerSpec.Flatten("flat"),
                new dev.bonsai.api.model.LayerSpec.Dense("fc1", 12, true),
                new dev.bonsai.api.model.LayerSpec.Activate("relu1", dev.bonsai.api.model.Activation.RELU),
                new dev.bonsai.api.model.LayerSpec.Dense("out", OUT, true)));
        TrainingConfig plain = new TrainingConfig(2, 8, new OptimizerSpec.Sgd(0.1, 0.9, false, 0),
                new LrSchedule.Constant(), 0, List.of(new LossTerm.SoftTargetKl(0.7, 3), new LossTerm.CrossEntropy(0.3)));
        TrainingConfig jittered = plain.withAugmentation(Optional.of(
                new dev.bonsai.api.data.ImageJitter(1, true, new float[] {-1})));
        try (DjlNetwork teacher = runtime.build(teacherSpec, WeightInitializer.initialize(teacherSpec, 5), "cpu");
                DjlNetwork a = runtime.build(student, WeightInitializer.initialize(student, 1), "cpu");
                DjlNetwork b = runtime.build(student, WeightInitializer.initialize(student, 1), "cpu");
                DjlNetwork c = runtime.build(student, WeightInitializer.initialize(student, 1), "cpu")) {
            Network viaApi = (Network) java.lang.reflect.Proxy.newProxyInstance(Network.class.getClassLoader(),
                    new Class<?>[] {Network.class}, (proxy, method, args) -> method.invoke(teacher, args));
            var first = a.train(new TrainingPlan(data, new BatchSampler(1), 0, jittered, Optional.of(teacher)),
                    TrainingListener.NONE);
            var second = b.train(new TrainingPlan(data, new BatchSampler(1), 0, jittered, Optional.of(viaApi)),
                    TrainingListener.NONE);
            var unjittered = c.train(new TrainingPlan(data, new BatchSampler(1), 0, plain, Optional.of(teacher)),
                    TrainingListener.NONE);
            assertThat(second.epochLosses()).containsExactlyElementsOf(first.epochLosses());
            assertThat(b.weights().get("fc.weight").data()).containsExactly(a.weights().get("fc.weight").data());
            assertThat(unjittered.epochLosses()).isNotEqualTo(first.epochLosses());
            assertThat(c.weights().get("fc.weight").data()).isNotEqualTo(a.weights().get("fc.weight").data());
            // evaluation is never augmented: the same weights evaluate as their logits on the plain samples say
            dev.bonsai.api.engine.Evaluation e = a.evaluate(data, 7);
            float[] logits = a.logits(data.batch(java.util.stream.IntStream.range(0, 32).toArray(), 0, 32))
                    .data();
            int correct = 0;
            for (int i = 0; i < 32; i++) {
                int predicted = logits[i * OUT] >= logits[i * OUT + 1] ? 0 : 1;
                correct += predicted == data.labels()[i] ? 1 : 0;
            }
            assertThat(e.accuracy()).isEqualTo(correct / 32.0);
        }
    }

    @Test
    void wrongSampleShapeAndLabelsAreRefused() {
        Split wide = SyntheticData.random("wide", 8, Shape.of(IN + 1), OUT, 1);
        Split badLabels = new Split("bad", Shape.of(IN), new float[2 * IN], new int[] {0, OUT});
        try (DjlNetwork network = runtime.build(TINY, WeightInitializer.initialize(TINY, 1), "cpu")) {
            assertThatThrownBy(() -> network.evaluate(wide, 4)).isInstanceOf(BonsaiException.class)
                    .hasMessageContaining("wide");
            assertThatThrownBy(() -> network.evaluate(badLabels, 4)).isInstanceOf(BonsaiException.class)
                    .hasMessageContaining("label " + OUT);
        }
    }

    @Test
    void cudaIsRefusedWithAReasonWhenUnavailable() {
        DjlEngine engine = new DjlEngine();
        var cuda = engine.availability("cuda");
        if (!cuda.available()) {
            assertThat(cuda.reason()).containsAnyOf("GPU", "PYTORCH_LIBRARY_PATH");
            assertThatThrownBy(() -> runtime.build(TINY, WeightInitializer.initialize(TINY, 1), "cuda"))
                    .isInstanceOf(BonsaiException.class).hasMessageContaining("cuda")
                    .hasMessageContaining(cuda.reason());
        }
        assertThat(engine.availability("cpu").available()).isTrue();
        assertThat(engine.availability("tpu").available()).isFalse();
    }

    // --------------------------------------------------------------------------------------------------- metadata

    @Test
    void metadataAndVersions() {
        DjlEngine engine = new DjlEngine();
        assertThat(engine.id()).isEqualTo("djl");
        assertThat(engine.rank()).isEqualTo(100);
        assertThat(engine.devices()).containsExactly("cpu", "cuda");
        assertThat(runtime.engineId()).isEqualTo("djl");
        assertThat(runtime.versions()).contains("DJL 0.36.0").contains("PyTorch 2.7.1");
        assertThat(DjlOptions.defaults().threads()).isZero();
        assertThatThrownBy(() -> new DjlOptions(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theServiceLoaderFindsTheEngine() {
        boolean found = false;
        for (ComputeEngine<?> engine : ServiceLoader.load(dev.bonsai.api.engine.ComputeEngine.class)) {
            found |= engine instanceof DjlEngine;
        }
        assertThat(found).isTrue();
    }

    // ----------------------------------------------------------------------------------------------------- memory

    @Test
    void trainingAndEvaluationReleaseTheirTemporaries() {
        ModelSpec spec = new ModelSpec("mlp", Shape.of(8), List.of(new LayerSpec.Dense("fc1", 16, true),
                new LayerSpec.Activate("relu", dev.bonsai.api.model.Activation.RELU), new LayerSpec.Dropout("drop", 0.1),
                new LayerSpec.Dense("out", 3, true)));
        Split data = SyntheticData.random("data", 256, Shape.of(8), 3, 2);
        BitSet kept = new BitSet();
        kept.set(0, 64);
        MaskSet masks = new MaskSet(Map.of("fc1.weight", new Mask(Shape.of(16, 8), kept)));
        try (DjlNetwork network = runtime.build(spec, WeightInitializer.initialize(spec, 1), "cpu")) {
            network.applyMasks(masks);
            TrainingConfig config = config(new OptimizerSpec.Sgd(0.1, 0.9, true, 1e-4), 1, 16,
                    new LrSchedule.Constant(), 1.0);
            network.train(new TrainingPlan(data, new BatchSampler(1), 0, config, Optional.empty()),
                    TrainingListener.NONE);
            network.evaluate(data, 32);
            int live = network.liveArrays();
            for (int i = 0; i < 3; i++) {
                network.train(new TrainingPlan(data, new BatchSampler(1), i, config.withOptimizer(
                        new OptimizerSpec.Adam(0.01, 0.9, 0.999, 1e-8, 0, true)), Optional.empty()),
                        TrainingListener.NONE);
                network.evaluate(data, 32);
                network.logits(data.batch(new int[] {0, 1, 2}, 0, 3));
                network.capability(GradientProbe.class).orElseThrow()
                        .gradientSum(List.of(data.batch(new int[] {0, 1, 2}, 0, 3)));
            }
            assertThat(network.liveArrays()).as("arrays held by the network").isEqualTo(live);
            Tensor w = network.weights().get("fc1.weight");
            for (int i = 64; i < w.size(); i++) {
                assertThat(w.data()[i]).isZero();
            }
        }
    }
}
