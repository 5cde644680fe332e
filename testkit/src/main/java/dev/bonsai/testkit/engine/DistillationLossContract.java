package dev.bonsai.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.BatchSampler;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.api.engine.LrSchedule;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.engine.OptimizerSpec;
import dev.bonsai.api.engine.TrainingConfig;
import dev.bonsai.api.engine.TrainingPlan;
import dev.bonsai.api.engine.TrainingResult;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.model.Weights;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What every engine's distillation losses must compute ({@link LossTerm}): each term's value and its gradient
 * against a hand computation from the student's and the teacher's logits, through one plain SGD step of the
 * engine's own training. With one step of learning rate η over the whole split, a dense output layer's weights move
 * by {@code -η·Gᵀ·X} and its bias by {@code -η·Σ_n G_n}, where {@code G = ∂L/∂logits} is computed here in double
 * precision:
 *
 * <ul>
 *   <li>cross-entropy: {@code L = -w/N·Σ log p_n[y_n]}, {@code G = w/N·(p - onehot(y))};</li>
 *   <li>soft targets at temperature T: {@code L = w·T²/N·Σ KL(q_n ‖ p_n)} with {@code q = softmax(t/T)},
 *       {@code p = softmax(s/T)}, so {@code G = w·T/N·(p - q)} — the T² scaling is part of the check;</li>
 *   <li>logit MSE: {@code L = w/(N·C)·Σ (s - t)²}, {@code G = 2w/(N·C)·(s - t)}.</li>
 * </ul>
 *
 * <p>Sequence models are checked per position (N = samples × positions), teachers both of the engine itself and
 * of another implementation of {@link Network} (a plain-Java model, as a teacher on another engine would be), and
 * FitNets' hint loss for what it must do: train only the layers up to the guided one, keep its regressor out of
 * the student's weights, and refuse layer names that do not exist. An engine's test extends this class.
 */
public abstract class DistillationLossContract extends EngineTestBase {
    private static final int FEATURES = 6;
    private static final int CLASSES = 4;
    private static final int SAMPLES = 16;
    private static final double LR = 0.5;

    /** For subclasses. */
    protected DistillationLossContract() {
    }

    // ----------------------------------------------------------------------------------------------- classifiers

    @Test
    public void softTargetLossAndGradientMatchAHandComputationWithTheTemperatureSquared() {
        checkClassifier(List.of(new LossTerm.SoftTargetKl(0.7, 4), new LossTerm.CrossEntropy(0.3)), false);
    }

    @Test
    public void softTargetLossAtTemperatureOneIsTheKlDivergence() {
        checkClassifier(List.of(new LossTerm.SoftTargetKl(1, 1)), false);
    }

    @Test
    public void softTargetLossWorksWithATeacherOnAnotherImplementation() {
        checkClassifier(List.of(new LossTerm.SoftTargetKl(0.9, 20), new LossTerm.CrossEntropy(0.1)), true);
    }

    @Test
    public void logitMseLossAndGradientMatchAHandComputation() {
        checkClassifier(List.of(new LossTerm.LogitMse(2)), false);
        checkClassifier(List.of(new LossTerm.LogitMse(1), new LossTerm.CrossEntropy(0.5)), true);
    }

    private void checkClassifier(List<LossTerm> loss, boolean hostTeacher) {
        ModelSpec student = new ModelSpec("student", Shape.of(FEATURES), List.of(
                new LayerSpec.Dense("out", CLASSES, true)));
        ModelSpec teacher = new ModelSpec("teacher", Shape.of(FEATURES), List.of(
                new LayerSpec.Dense("fc1", 12, true), new LayerSpec.Activate("relu1", Activation.RELU),
                new LayerSpec.Dense("out", CLASSES, true)));
        Split data = SyntheticData.separable("train", SAMPLES, Shape.of(FEATURES), CLASSES, 5, 0);
        Weights studentWeights = scaled(WeightInitializer.initialize(student, 11), 3);
        Weights teacherWeights = scaled(WeightInitializer.initialize(teacher, 12), 3);
        double[] t = HostReference.logits(teacher, teacherWeights, data.features(), SAMPLES);
        double[] s = HostReference.logits(student, studentWeights, data.features(), SAMPLES);
        Expected expected = expected(loss, s, t, data.labels(), CLASSES);

        try (Network net = runtime().build(student, studentWeights, device());
                Network teach = hostTeacher ? new HostTeacher(teacher, teacherWeights)
                        : runtime().build(teacher, teacherWeights, device())) {
            TrainingResult result = net.train(onePlainStep(data, loss, teach), null);
            assertThat(result.epochLosses().get(0)).as("loss of %s", loss)
                    .isCloseTo(expected.loss, org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, expected.loss)));
            Weights after = net.weights();
            double[] dw = new double[CLASSES * FEATURES];
            double[] db = new double[CLASSES];
            for (int n = 0; n < SAMPLES; n++) {
                for (int c = 0; c < CLASSES; c++) {
                    double g = expected.gradient[n * CLASSES + c];
                    db[c] += g;
                    for (int j = 0; j < FEATURES; j++) {
                        dw[c * FEATURES + j] += g * data.features()[n * FEATURES + j];
                    }
                }
            }
            assertStep(after.get("out.weight"), studentWeights.get("out.weight"), dw, "out.weight under " + loss);
            assertStep(after.get("out.bias"), studentWeights.get("out.bias"), db, "out.bias under " + loss);
        }
    }

    // ---------------------------------------------------------------------------------------------- sequences

    @Test
    public void softTargetLossIsPerPositionForSequenceModels() {
        int positions = 3;
        int vocab = 5;
        ModelSpec student = new ModelSpec("student-lm", Shape.of(positions), List.of(
                new LayerSpec.Embedding("embed", vocab, 4), new LayerSpec.Dense("out", vocab, true)));
        ModelSpec teacher = new ModelSpec("teacher-lm", Shape.of(positions), List.of(
                new LayerSpec.Embedding("embed", vocab, 6), new LayerSpec.Dense("hidden", 6, true),
                new LayerSpec.Activate("act", Activation.TANH), new LayerSpec.Dense("out", vocab, true)));
        SplittableRandom random = new SplittableRandom(9);
        float[] tokens = new float[SAMPLES * positions];
        int[] next = new int[SAMPLES * positions];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = random.nextInt(vocab);
            next[i] = random.nextInt(vocab);
        }
        Split data = new Split("train", Shape.of(positions), tokens, next, positions);
        List<LossTerm> loss = List.of(new LossTerm.SoftTargetKl(0.8, 3), new LossTerm.CrossEntropy(0.2));
        Weights studentWeights = WeightInitializer.initialize(student, 21);
        try (Network net = runtime().build(student, studentWeights, device());
                Network teach = runtime().build(teacher, scaled(WeightInitializer.initialize(teacher, 22), 20),
                        device())) {
            var batch = data.batch(identity(SAMPLES), 0, SAMPLES);
            double[] s = toDouble(net.logits(batch).data());
            double[] t = toDouble(teach.logits(batch).data());
            Expected expected = expected(loss, s, t, next, vocab);
            TrainingResult result = net.train(onePlainStep(data, loss, teach), null);
            assertThat(result.epochLosses().get(0)).as("per-position loss")
                    .isCloseTo(expected.loss, org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, expected.loss)));
            double[] db = new double[vocab];
            for (int row = 0; row < SAMPLES * positions; row++) {
                for (int c = 0; c < vocab; c++) {
                    db[c] += expected.gradient[row * vocab + c];
                }
            }
            assertStep(net.weights().get("out.bias"), studentWeights.get("out.bias"), db, "out.bias per position");
        }
    }

    // ------------------------------------------------------------------------------------------------- hints

    @Test
    public void hintLossTrainsOnlyTheLayersUpToTheGuidedOneAndKeepsItsRegressorOutOfTheWeights() {
        ModelSpec student = new ModelSpec("student", Shape.of(FEATURES), List.of(
                new LayerSpec.Dense("fc1", 5, true), new LayerSpec.Activate("relu1", Activation.RELU),
                new LayerSpec.Dense("fc2", 7, true), new LayerSpec.Activate("relu2", Activation.RELU),
                new LayerSpec.Dense("out", CLASSES, true)));
        ModelSpec teacher = new ModelSpec("teacher", Shape.of(FEATURES), List.of(
                new LayerSpec.Dense("fc1", 9, true), new LayerSpec.Activate("relu1", Activation.TANH),
                new LayerSpec.Dense("out", CLASSES, true)));
        Split data = SyntheticData.separable("train", 64, Shape.of(FEATURES), CLASSES, 5, 0);
        List<LossTerm> loss = List.of(new LossTerm.HintMse(1, "relu1", "fc1"));
        TrainingConfig config = new TrainingConfig(30, 16, new OptimizerSpec.Sgd(0.1, 0.9, false, 1e-3),
                new LrSchedule.Constant(), 0, loss);
        try (Network net = runtime().build(student, WeightInitializer.initialize(student, 31), device());
                Network teach = runtime().build(teacher, WeightInitializer.initialize(teacher, 32), device())) {
            // an earlier training leaves gradients behind: the hint stage must still not touch the later layers
            net.train(new TrainingPlan(data, new BatchSampler(3), 0, config.withEpochs(1).withLoss(
                    List.of(new LossTerm.CrossEntropy(1))), Optional.empty()), null);
            Weights initial = net.weights();
            TrainingResult result = net.train(new TrainingPlan(data, new BatchSampler(3), 0, config,
                    Optional.of(teach)), null);
            List<Double> losses = result.epochLosses();
            assertThat(losses.get(losses.size() - 1)).as("hint loss falls").isLessThan(losses.get(0) * 0.5);
            Weights after = net.weights();
            assertThat(after.asMap().keySet()).as("no regressor among the student's weights")
                    .containsExactlyElementsOf(student.parameters().keySet());
            assertThat(after.get("fc1.weight").data()).isNotEqualTo(initial.get("fc1.weight").data());
            for (String untouched : List.of("fc2.weight", "fc2.bias", "out.weight", "out.bias")) {
                assertThat(after.get(untouched).data()).as("%s, after the guided layer", untouched)
                        .isEqualTo(initial.get(untouched).data());
            }
        }
    }

    @Test
    public void aHintLayerThatDoesNotExistIsRefusedNamingIt() {
        ModelSpec spec = new ModelSpec("student", Shape.of(FEATURES), List.of(
                new LayerSpec.Dense("fc1", 5, true), new LayerSpec.Dense("out", CLASSES, true)));
        Split data = SyntheticData.separable("train", SAMPLES, Shape.of(FEATURES), CLASSES, 5, 0);
        try (Network net = runtime().build(spec, WeightInitializer.initialize(spec, 1), device());
                Network teach = runtime().build(spec, WeightInitializer.initialize(spec, 2), device())) {
            assertThatThrownBy(() -> net.train(onePlainStep(data, List.of(new LossTerm.HintMse(1, "fc1", "fc9")),
                    teach), null)).isInstanceOf(BonsaiException.class).hasMessageContaining("fc9");
            assertThatThrownBy(() -> net.train(onePlainStep(data, List.of(new LossTerm.HintMse(1, "nope", "fc1")),
                    teach), null)).isInstanceOf(BonsaiException.class).hasMessageContaining("nope");
        }
    }

    // ---------------------------------------------------------------------------------------------- bad input

    @Test
    public void aTeacherWithOtherClassesOrNoTeacherIsRefused() {
        ModelSpec student = new ModelSpec("student", Shape.of(FEATURES), List.of(
                new LayerSpec.Dense("out", CLASSES, true)));
        ModelSpec wide = new ModelSpec("teacher", Shape.of(FEATURES), List.of(
                new LayerSpec.Dense("out", CLASSES + 1, true)));
        Split data = SyntheticData.separable("train", SAMPLES, Shape.of(FEATURES), CLASSES, 5, 0);
        List<LossTerm> loss = List.of(new LossTerm.SoftTargetKl(1, 2));
        try (Network net = runtime().build(student, WeightInitializer.initialize(student, 1), device());
                Network teach = runtime().build(wide, WeightInitializer.initialize(wide, 2), device())) {
            Weights before = net.weights();
            assertThatThrownBy(() -> net.train(onePlainStep(data, loss, teach), null))
                    .isInstanceOf(BonsaiException.class).hasMessageContaining("[5]").hasMessageContaining("[4]");
            assertThatThrownBy(() -> net.train(new TrainingPlan(data, new BatchSampler(1), 0,
                    new TrainingConfig(1, SAMPLES, new OptimizerSpec.Sgd(LR, 0, false, 0), new LrSchedule.Constant(),
                            0, loss), Optional.empty()), null))
                    .isInstanceOf(BonsaiException.class).hasMessageContaining("teacher");
            assertThat(net.weights().asMap()).as("nothing trained").isEqualTo(before.asMap());
        }
    }

    // ------------------------------------------------------------------------------------------------- helpers

    /** One plain SGD step (no momentum, no decay) over the whole split. */
    private static TrainingPlan onePlainStep(Split data, List<LossTerm> loss, Network teacher) {
        TrainingConfig config = new TrainingConfig(1, data.size(), new OptimizerSpec.Sgd(LR, 0, false, 0),
                new LrSchedule.Constant(), 0, loss);
        return new TrainingPlan(data, new BatchSampler(1), 0, config, Optional.of(teacher));
    }

    private record Expected(double loss, double[] gradient) {
    }

    /** The loss and its gradient with respect to the student's logits, {@code [rows, classes]}, by hand. */
    private static Expected expected(List<LossTerm> loss, double[] s, double[] t, int[] labels, int classes) {
        int rows = s.length / classes;
        double total = 0;
        double[] g = new double[s.length];
        for (LossTerm term : loss) {
            double w = term.weight();
            for (int n = 0; n < rows; n++) {
                int o = n * classes;
                if (term instanceof LossTerm.CrossEntropy) {
                    double[] p = softmax(s, o, classes, 1);
                    total -= w / rows * Math.log(p[labels[n]]);
                    for (int c = 0; c < classes; c++) {
                        g[o + c] += w / rows * (p[c] - (c == labels[n] ? 1 : 0));
                    }
                } else if (term instanceof LossTerm.SoftTargetKl kl) {
                    double temp = kl.temperature();
                    double[] p = softmax(s, o, classes, temp);
                    double[] q = softmax(t, o, classes, temp);
                    for (int c = 0; c < classes; c++) {
                        total += w * temp * temp / rows * q[c] * (Math.log(q[c]) - Math.log(p[c]));
                        g[o + c] += w * temp / rows * (p[c] - q[c]);
                    }
                } else if (term instanceof LossTerm.LogitMse) {
                    for (int c = 0; c < classes; c++) {
                        double d = s[o + c] - t[o + c];
                        total += w / ((double) rows * classes) * d * d;
                        g[o + c] += 2 * w / ((double) rows * classes) * d;
                    }
                } else {
                    throw new IllegalArgumentException("no hand computation for " + term);
                }
            }
        }
        return new Expected(total, g);
    }

    private static double[] softmax(double[] z, int offset, int classes, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, z[offset + c] / temperature);
        }
        double sum = 0;
        double[] p = new double[classes];
        for (int c = 0; c < classes; c++) {
            p[c] = Math.exp(z[offset + c] / temperature - max);
            sum += p[c];
        }
        for (int c = 0; c < classes; c++) {
            p[c] /= sum;
        }
        return p;
    }

    /** Checks {@code after = before - LR·gradient}, to float precision. */
    private static void assertStep(Tensor after, Tensor before, double[] gradient, String what) {
        double scale = 0;
        for (double v : gradient) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertThat(scale).as("a non-trivial gradient for %s", what).isGreaterThan(1e-3);
        for (int i = 0; i < gradient.length; i++) {
            double expected = before.data()[i] - LR * gradient[i];
            assertThat((double) after.data()[i]).as("%s[%d]", what, i)
                    .isCloseTo(expected, org.assertj.core.data.Offset.offset(2e-5 + 1e-4 * LR * scale));
        }
    }

    /** Weights multiplied by {@code factor}, for logits large enough to make soft targets differ from hard ones. */
    private static Weights scaled(Weights weights, double factor) {
        java.util.Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        weights.asMap().forEach((name, t) -> {
            float[] d = t.data().clone();
            for (int i = 0; i < d.length; i++) {
                d[i] *= (float) factor;
            }
            out.put(name, new Tensor(t.shape(), d));
        });
        return new Weights(out);
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
