package dev.bonsai.engine.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.data.Augmentation;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.data.BatchSampler;
import dev.bonsai.api.data.ImageJitter;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.Capability;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.engine.GradientProbe;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.api.engine.LrSchedule;
import dev.bonsai.api.engine.MovementProbe;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.engine.OptimizerSpec;
import dev.bonsai.api.engine.TrainingConfig;
import dev.bonsai.api.engine.TrainingListener;
import dev.bonsai.api.engine.TrainingPlan;
import dev.bonsai.api.engine.TrainingResult;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterRole;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.PoolKind;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.PruningContext;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.engine.djl.DjlEngine;
import dev.bonsai.engine.djl.DjlOptions;
import dev.bonsai.strategies.movement.MovementStrategy;
import dev.bonsai.strategies.obd.Curvature;
import dev.bonsai.strategies.obd.ObdOptions;
import dev.bonsai.strategies.obd.ObdStrategy;
import dev.bonsai.strategies.probes.Capabilities;
import dev.bonsai.strategies.selection.MaskSelector;
import dev.bonsai.strategies.snip.SnipStrategy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The same experiment gives the same answer on {@code djl} and {@code dl4j}: the same model spec, the same
 * initial weights from Bonsai's generator and the same batch give the same logits (within 1e-4 of the largest
 * magnitude) and the same gradients (within 1e-3 of each parameter's largest gradient); training with the same
 * optimizer, schedule, clipping and sampler stays together; the same pruning strategy selects masks agreeing on at
 * least 99.9% of the weights; a distillation step (soft targets, logit MSE, hints; the teacher on either engine)
 * gives the same loss and gradients. Both engines are loaded in this one JVM, side by side, which is itself part of the
 * contract (DJL and DL4J must coexist).
 *
 * <p>Catches a weight layout converted wrongly (a dense weight read as {@code [in, out]}, a kernel in another
 * order), a layer whose semantics differ between the engines (batch norm's variance, GELU's approximation, pooling
 * windows, padding), and optimizer formulations that differ (PyTorch's momentum, Adam's bias correction).
 *
 * <p>Tolerances: both engines compute in float32 with different summation orders (BLAS kernels, reductions), so
 * values of order 1 differ by ~1e-6 relative per operation; the thresholds leave two orders of magnitude.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Dl4jCrossEngineTest {
    private static final int CLASSES = 10;

    private EngineRuntime djl;
    private EngineRuntime dl4j;

    @BeforeAll
    void load() {
        djl = new DjlEngine().create(new DjlOptions(1));
        dl4j = Dl4jTestRuntime.create();
    }

    @AfterAll
    void close() {
        if (djl != null) {
            djl.close();
        }
        if (dl4j != null) {
            dl4j.close();
        }
    }

    /** An MLP like LeNet-300-100, smaller: flatten, dense 64, ReLU, dense 32, ReLU, dense 10. */
    private static ModelSpec mlp() {
        return new ModelSpec("cross-mlp", Shape.of(1, 12, 12), List.of(new LayerSpec.Flatten("flat"),
                new LayerSpec.Dense("fc1", 64, true), new LayerSpec.Activate("relu1", Activation.RELU),
                new LayerSpec.Dense("fc2", 32, true), new LayerSpec.Activate("relu2", Activation.RELU),
                new LayerSpec.Dense("fc3", CLASSES, true)));
    }

    /**
     * A CNN with every supported layer kind: convolutions with stride and padding, batch norm, max and average
     * pooling, a residual block with layer norm, GELU, tanh, sigmoid and dropout. The convolution before batch norm
     * has no bias: its gradient is zero up to rounding, and Adam would turn that rounding noise into full-size steps
     * that differ between any two implementations.
     */
    private static ModelSpec cnn(double dropout) {
        return new ModelSpec("cross-cnn", Shape.of(2, 12, 12), List.of(
                new LayerSpec.Conv2d("conv1", 4, 3, 1, 1, false), new LayerSpec.BatchNorm("bn1", 0.1, 1e-5),
                new LayerSpec.Activate("relu1", Activation.RELU), new LayerSpec.Pool2d("pool1", PoolKind.MAX, 2, 2),
                new LayerSpec.Conv2d("conv2", 6, 3, 2, 1, false), new LayerSpec.Activate("tanh", Activation.TANH),
                new LayerSpec.Pool2d("pool2", PoolKind.AVG, 2, 1), new LayerSpec.Flatten("flat"),
                new LayerSpec.Dense("fc1", 16, true), new LayerSpec.Residual("res", List.of(
                        new LayerSpec.LayerNorm("ln", 1e-5), new LayerSpec.Dense("inner", 16, true),
                        new LayerSpec.Activate("gelu", Activation.GELU))),
                new LayerSpec.Activate("sigmoid", Activation.SIGMOID), new LayerSpec.Dropout("drop", dropout),
                new LayerSpec.Dense("out", CLASSES, true)));
    }

    /** {@code n} samples of normal features for {@code spec}, labels in 10 classes. */
    private static Split data(ModelSpec spec, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int size = Math.toIntExact(spec.inputShape().size());
        float[] x = new float[n * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextGaussian());
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = random.nextInt(CLASSES);
        }
        return new Split("cross", spec.inputShape(), x, y);
    }

    private static Batch all(Split split) {
        int[] order = new int[split.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return split.batch(order, 0, order.length);
    }

    @Test
    void logitsAndGradientsAgree() {
        for (ModelSpec spec : List.of(mlp(), cnn(0.3))) {
            Weights initial = WeightInitializer.initialize(spec, 7);
            Batch batch = all(data(spec, 32, 8));
            try (Network a = djl.build(spec, initial, "cpu"); Network b = dl4j.build(spec, initial, "cpu")) {
                assertClose(b.logits(batch).data(), a.logits(batch).data(), 1e-4, spec.name() + " logits");
                Weights ga = a.capability(GradientProbe.class).orElseThrow().gradientSum(List.of(batch));
                Weights gb = b.capability(GradientProbe.class).orElseThrow().gradientSum(List.of(batch));
                assertThat(gb.asMap().keySet()).containsExactlyElementsOf(ga.asMap().keySet());
                for (String name : ga.asMap().keySet()) {
                    assertClose(gb.get(name).data(), ga.get(name).data(), 1e-3, spec.name() + " gradient of " + name);
                }
            }
        }
    }

    @Test
    void trainingStaysTogether() {
        ModelSpec mlp = mlp();
        ModelSpec cnn = cnn(0);
        checkTraining(mlp, new OptimizerSpec.Sgd(0.05, 0.9, true, 1e-3), new LrSchedule.Cosine(5, 0.1), 1.0);
        checkTraining(cnn, new OptimizerSpec.Adam(3e-3, 0.9, 0.999, 1e-8, 1e-2, true), new LrSchedule.StepDecay(1, 0.5),
                0);
    }

    /**
     * Training with an augmentation stays together too: both engines train on the same jittered batches, drawn on
     * the host from the seed, epoch and sample index; and the jitter really changes what is learnt.
     */
    @Test
    void augmentedTrainingStaysTogetherAndDiffersFromPlainTraining() {
        ModelSpec cnn = cnn(0);
        OptimizerSpec sgd = new OptimizerSpec.Sgd(0.05, 0.9, false, 0);
        Optional<Augmentation> jitter = Optional.of(new ImageJitter(2, true, new float[] {-1, 0.5f}));
        Weights augmented = checkTraining(cnn, sgd, new LrSchedule.Constant(), 0, jitter);
        Weights plain = checkTraining(cnn, sgd, new LrSchedule.Constant(), 0, Optional.empty());
        assertThat(augmented.get("conv1.weight").data()).isNotEqualTo(plain.get("conv1.weight").data());
    }

    /**
     * The max-norm constraint stays together too, on dense rows and convolution kernels alike: every weight row of
     * both engines ends within the bound, some on it.
     */
    @Test
    void maxNormTrainingStaysTogetherAndBoundsEveryUnit() {
        ModelSpec cnn = cnn(0);
        double bound = 0.6;
        Weights trained = checkTraining(cnn, new TrainingConfig(2, 16, new OptimizerSpec.Sgd(0.05, 0.9, false, 0),
                new LrSchedule.Constant(), 0, List.of(new LossTerm.CrossEntropy(1)), Optional.empty(), bound));
        double largest = 0;
        for (var p : cnn.parameters(ParameterRole.WEIGHT)) {
            float[] w = trained.get(p.name()).data();
            int rows = p.shape().dims()[0];
            int width = w.length / rows;
            for (int r = 0; r < rows; r++) {
                double norm = 0;
                for (int i = r * width; i < (r + 1) * width; i++) {
                    norm += (double) w[i] * w[i];
                }
                largest = Math.max(largest, Math.sqrt(norm));
            }
        }
        assertThat(largest).isLessThanOrEqualTo(bound + 1e-5).isGreaterThan(bound - 1e-3);
    }

    private Weights checkTraining(ModelSpec spec, OptimizerSpec optimizer, LrSchedule schedule, double clip) {
        return checkTraining(spec, optimizer, schedule, clip, Optional.empty());
    }

    private Weights checkTraining(ModelSpec spec, OptimizerSpec optimizer, LrSchedule schedule, double clip,
            Optional<Augmentation> augmentation) {
        return checkTraining(spec, new TrainingConfig(2, 16, optimizer, schedule, clip,
                List.of(new LossTerm.CrossEntropy(1)), augmentation));
    }

    private Weights checkTraining(ModelSpec spec, TrainingConfig config) {
        Weights initial = WeightInitializer.initialize(spec, 9);
        Split train = data(spec, 96, 10);
        TrainingPlan plan = new TrainingPlan(train, new BatchSampler(11), 0, config, Optional.empty());
        try (Network a = djl.build(spec, initial, "cpu"); Network b = dl4j.build(spec, initial, "cpu")) {
            TrainingResult ra = a.train(plan, TrainingListener.NONE);
            TrainingResult rb = b.train(plan, TrainingListener.NONE);
            for (int e = 0; e < 2; e++) {
                assertThat(rb.epochLosses().get(e)).as("%s epoch %d loss", spec.name(), e)
                        .isCloseTo(ra.epochLosses().get(e), org.assertj.core.data.Offset.offset(
                                1e-4 * Math.max(1, ra.epochLosses().get(e))));
            }
            Weights wa = a.weights();
            Weights wb = b.weights();
            for (String name : wa.asMap().keySet()) {
                assertClose(wb.get(name).data(), wa.get(name).data(), 1e-3, spec.name() + " trained " + name);
            }
            assertThat(wa.get(spec.parameters(ParameterRole.WEIGHT).get(0).name()))
                    .isNotEqualTo(initial.get(spec.parameters(ParameterRole.WEIGHT).get(0).name()));
            return wa;
        }
    }

    /**
     * A distillation step gives the same loss and gradients on both engines from the same weights: Hinton's soft
     * targets with cross-entropy, logit MSE, and a FitNets hint (whose regressor both engines start from Bonsai's
     * generator), each with the teacher on the student's engine and, for dl4j, also on djl. The gradient is read
     * from one plain SGD step over the whole batch: {@code (before - after) / lr}.
     */
    @Test
    void distillationStepsAgree() {
        ModelSpec student = mlp();
        ModelSpec teacher = new ModelSpec("cross-teacher", Shape.of(1, 12, 12), List.of(new LayerSpec.Flatten("flat"),
                new LayerSpec.Dense("fc1", 48, true), new LayerSpec.Activate("relu1", Activation.RELU),
                new LayerSpec.Dense("fc3", CLASSES, true)));
        Weights studentWeights = WeightInitializer.initialize(student, 16);
        Weights teacherWeights = WeightInitializer.initialize(teacher, 17);
        Split train = data(student, 32, 18);
        for (List<LossTerm> loss : List.<List<LossTerm>>of(
                List.<LossTerm>of(new LossTerm.SoftTargetKl(0.7, 4), new LossTerm.CrossEntropy(0.3)),
                List.<LossTerm>of(new LossTerm.LogitMse(1), new LossTerm.CrossEntropy(0.5)),
                List.<LossTerm>of(new LossTerm.HintMse(0.5, "relu1", "relu2"), new LossTerm.CrossEntropy(1)))) {
            TrainingConfig config = new TrainingConfig(1, 32, new OptimizerSpec.Sgd(0.1, 0, false, 0),
                    new LrSchedule.Constant(), 0, loss);
            try (Network a = djl.build(student, studentWeights, "cpu");
                    Network b = dl4j.build(student, studentWeights, "cpu");
                    Network c = dl4j.build(student, studentWeights, "cpu");
                    Network teachA = djl.build(teacher, teacherWeights, "cpu");
                    Network teachB = dl4j.build(teacher, teacherWeights, "cpu")) {
                double la = a.train(plan(train, config, teachA), TrainingListener.NONE).epochLosses().get(0);
                double lb = b.train(plan(train, config, teachB), TrainingListener.NONE).epochLosses().get(0);
                double lc = c.train(plan(train, config, teachA), TrainingListener.NONE).epochLosses().get(0);
                for (double other : new double[] {lb, lc}) {
                    assertThat(other).as("loss of %s", loss)
                            .isCloseTo(la, org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, la)));
                }
                Weights wa = a.weights();
                for (Network other : List.of(b, c)) {
                    Weights wo = other.weights();
                    for (String name : student.parameters().keySet()) {
                        assertClose(step(studentWeights, wo, name, 0.1), step(studentWeights, wa, name, 0.1), 1e-3,
                                loss + ": gradient of " + name + " (" + other + ")");
                    }
                }
            }
        }
    }

    private static TrainingPlan plan(Split train, TrainingConfig config, Network teacher) {
        return new TrainingPlan(train, new BatchSampler(19), 0, config, Optional.of(teacher));
    }

    /** {@code (before - after) / lr} of one parameter: the gradient one plain SGD step applied. */
    private static float[] step(Weights before, Weights after, String name, double lr) {
        float[] b = before.get(name).data();
        float[] a = after.get(name).data();
        float[] g = new float[b.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) ((b[i] - a[i]) / lr);
        }
        return g;
    }

    @Test
    void pruningStrategiesSelectTheSameMasks() {
        ModelSpec spec = mlp();
        Split split = data(spec, 64, 12);
        List<Batch> calibration = List.of(split.batch(order(64), 0, 32), split.batch(order(64), 32, 64));
        Weights trained;
        try (Network a = djl.build(spec, WeightInitializer.initialize(spec, 13), "cpu")) {
            a.train(new TrainingPlan(split, new BatchSampler(14), 0, new TrainingConfig(2, 16,
                    new OptimizerSpec.Sgd(0.05, 0.9, false, 0), new LrSchedule.Constant(), 0,
                    List.of(new LossTerm.CrossEntropy(1))), Optional.empty()), TrainingListener.NONE);
            trained = a.weights();
        }
        List<ParameterSpec> prunable = spec.parameters(ParameterRole.WEIGHT);
        checkMasks(spec, trained, calibration, prunable, new SnipStrategy(), new NoOptions());
        checkMasks(spec, trained, calibration, prunable, new ObdStrategy(),
                new ObdOptions(Curvature.EMPIRICAL_FISHER, 1, 4096));
    }

    /**
     * Movement scores accumulated over the same training agree, and so do the masks the movement strategy selects from
     * them. The sums of 12 steps' products W⊙G inherit the training's drift (1e-3), hence 2e-3.
     */
    @Test
    void movementScoresAgree() {
        ModelSpec spec = mlp();
        Weights initial = WeightInitializer.initialize(spec, 16);
        TrainingPlan plan = new TrainingPlan(data(spec, 96, 17), new BatchSampler(18), 0, new TrainingConfig(2, 16,
                new OptimizerSpec.Sgd(0.05, 0.9, false, 0), new LrSchedule.Constant(), 0,
                List.of(new LossTerm.CrossEntropy(1))), Optional.empty());
        List<ParameterSpec> prunable = spec.parameters(ParameterRole.WEIGHT);
        try (Network a = djl.build(spec, initial, "cpu"); Network b = dl4j.build(spec, initial, "cpu")) {
            MovementProbe pa = a.capability(MovementProbe.class).orElseThrow();
            MovementProbe pb = b.capability(MovementProbe.class).orElseThrow();
            pa.start();
            pb.start();
            a.train(plan, TrainingListener.NONE);
            b.train(plan, TrainingListener.NONE);
            assertThat(pb.steps()).isEqualTo(pa.steps()).isEqualTo(12);
            Weights sa = pa.scores();
            Weights sb = pb.scores();
            assertThat(sb.asMap().keySet()).containsExactlyElementsOf(sa.asMap().keySet());
            for (String name : sa.asMap().keySet()) {
                assertClose(sb.get(name).data(), sa.get(name).data(), 2e-3, "movement score of " + name);
            }
            MaskSet ma = select(new MovementStrategy(), new NoOptions(), new Context(a, List.of(), prunable));
            MaskSet mb = select(new MovementStrategy(), new NoOptions(), new Context(b, List.of(), prunable));
            assertThat(agreement(ma, mb)).as("movement: mask agreement between djl and dl4j")
                    .isGreaterThanOrEqualTo(0.995);
        }
    }

    private static double agreement(MaskSet ma, MaskSet mb) {
        long total = 0;
        long agree = 0;
        for (Map.Entry<String, Mask> e : ma.asMap().entrySet()) {
            Mask other = mb.get(e.getKey()).orElseThrow();
            for (int i = 0; i < e.getValue().size(); i++) {
                total++;
                if (e.getValue().kept(i) == other.kept(i)) {
                    agree++;
                }
            }
        }
        return (double) agree / total;
    }

    private <O extends Record> void checkMasks(ModelSpec spec, Weights weights, List<Batch> calibration,
            List<ParameterSpec> prunable, PruningStrategy<O> strategy, O options) {
        MaskSet ma;
        MaskSet mb;
        try (Network a = djl.build(spec, weights, "cpu"); Network b = dl4j.build(spec, weights, "cpu")) {
            ma = select(strategy, options, new Context(a, calibration, prunable));
            mb = select(strategy, options, new Context(b, calibration, prunable));
        }
        assertThat(ma.sparsity()).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(agreement(ma, mb)).as("%s: mask agreement between djl and dl4j", strategy.id())
                .isGreaterThanOrEqualTo(0.999);
    }

    private static <O extends Record> MaskSet select(PruningStrategy<O> strategy, O options, PruningContext context) {
        return new MaskSelector().select(strategy.score(options, context), context.prunable(), MaskSet.empty(), 0.9,
                Scope.GLOBAL, new Structure.Unstructured());
    }

    private static int[] order(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /** Asserts every element is within {@code relative} of the expected values' largest magnitude. */
    private static void assertClose(float[] actual, float[] expected, double relative, String what) {
        assertThat(actual).as(what).hasSize(expected.length);
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        double tolerance = relative * Math.max(scale, 1e-6);
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= tolerance)) {
                throw new AssertionError(what + "[" + i + "]: dl4j " + actual[i] + ", djl " + expected[i]
                        + ", tolerance " + tolerance);
            }
        }
    }

    /** A pruning context over one network: its weights, calibration batches and probes (native or generic). */
    private record Context(Network network, List<Batch> calibration, List<ParameterSpec> prunable)
            implements PruningContext {
        @Override
        public ModelSpec spec() {
            return network.spec();
        }

        @Override
        public Weights weights() {
            return network.weights();
        }

        @Override
        public MaskSet currentMasks() {
            return MaskSet.empty();
        }

        @Override
        public SplittableRandom random() {
            return new SplittableRandom(15);
        }

        @Override
        public <C extends Capability> C capability(Class<C> type) {
            return Capabilities.resolve(network, type);
        }
    }
}
