package dev.bonsai.engine.dl4j;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.distill.HintStage;
import dev.bonsai.api.distill.TeacherChecks;
import dev.bonsai.api.engine.ActivationProbe;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.engine.OptimizerSpec;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.WeightInitializer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The training loss of one {@link Dl4jNetwork#train} call: the weighted sum of the plan's {@link LossTerm}s over every
 * prediction (N of them: one per sample, or one per position of a sequence model), with its gradient written by
 * hand:
 *
 * <ul>
 *   <li>{@code CrossEntropy}: {@code -w/N·Σ log p_n[y_n]}, gradient {@code w/N·(p - onehot(y))} ({@link Dl4jLoss});</li>
 *   <li>{@code SoftTargetKl} (Hinton et al. 2015): {@code w·T²/N·Σ_n KL(q_n ‖ p_n)} with {@code q = softmax(t/T)},
 *       {@code p = softmax(s/T)}; gradient {@code w·T/N·(p - q)};</li>
 *   <li>{@code LogitMse}: {@code w/(N·C)·Σ (s - t)²}; gradient {@code 2w/(N·C)·(s - t)};</li>
 *   <li>{@code HintMse} (FitNets): {@code w/M·Σ (W·g + b - h)²} over the M elements of the teacher's hint
 *       {@code h}, with {@code g} the student's guided layer output and {@code (W, b)} a regressor trained by the
 *       student's optimizer for this call only (per position for two {@code [T, ·]} outputs of the same T, else on
 *       the flattened outputs; initial weights from Bonsai's initializer with the plan's seed, as on {@code djl}).
 *       Its gradient enters the student's backward pass at the guided layer's output.</li>
 * </ul>
 *
 * <p>The teacher's outputs are computed once per batch, in evaluation mode, through the API ({@link Network#logits},
 * or its {@link ActivationProbe} when a hint needs inner layers), so the teacher may live on any engine or device.
 */
final class Dl4jDistillation {
    private final List<LossTerm> terms;
    private final ModelSpec student;
    private final int classes;
    private final Network teacher;
    private final Set<String> hintLayers = new LinkedHashSet<>();
    private final Set<String> guidedLayers = new LinkedHashSet<>();
    private final List<Regressor> regressors = new ArrayList<>();
    private final String teacherLast;
    private final Map<String, INDArray> studentOutputs = new HashMap<>();
    private final Map<String, INDArray> teacherOutputs = new HashMap<>();
    private INDArray teacherLogits;

    /**
     * The loss of {@code lossTerms} for training {@code studentNetwork}.
     *
     * @param optimizer the student's optimizer, which also trains the hint regressors
     * @param seed      the seed of the regressors' initial weights
     * @throws BonsaiException when a term needs a teacher and there is none, the teacher is the student, its outputs
     *                         do not match the student's, a hint or guided layer does not exist, a temperature is not
     *                         positive, or a hint needs activations the teacher cannot give
     */
    Dl4jDistillation(Dl4jNetwork studentNetwork, List<LossTerm> lossTerms, Optional<Network> teacherNetwork,
            OptimizerSpec optimizer, long seed) {
        this.terms = List.copyOf(lossTerms);
        this.student = studentNetwork.spec();
        this.classes = student.outputShape().dim(-1);
        boolean needsTeacher = terms.stream().anyMatch(t -> !(t instanceof LossTerm.CrossEntropy));
        if (!needsTeacher) {
            this.teacher = null;
            this.teacherLast = null;
            return;
        }
        if (teacherNetwork.isEmpty()) {
            throw new BonsaiException("the loss " + terms + " needs a teacher, but the training plan has none");
        }
        this.teacher = teacherNetwork.get();
        if (teacher == studentNetwork) {
            throw new BonsaiException("a network cannot be its own teacher; build a second network for it");
        }
        ModelSpec teacherSpec = teacher.spec();
        TeacherChecks.requireCompatible(student, teacherSpec);
        for (LossTerm term : terms) {
            if (term instanceof LossTerm.SoftTargetKl kl
                    && (!(kl.temperature() > 0) || !Double.isFinite(kl.temperature()))) {
                throw new BonsaiException("SoftTargetKl needs a positive, finite temperature, got " + kl.temperature());
            }
            if (term instanceof LossTerm.HintMse hint) {
                regressors.add(Regressor.of(hint, student, teacherSpec, optimizer, seed + regressors.size()));
                guidedLayers.add(hint.studentLayer());
                hintLayers.add(hint.teacherLayer());
            }
        }
        List<LayerSpec> top = teacherSpec.layers();
        this.teacherLast = top.get(top.size() - 1).name();
        if (!hintLayers.isEmpty() && teacher.capability(ActivationProbe.class).isEmpty()) {
            throw new BonsaiException("teacher " + teacher + " offers no ActivationProbe, which the hint loss needs for"
                    + " its layers " + hintLayers);
        }
    }

    /** The student's parameters this loss leaves alone ({@link HintStage}: FitNets' first stage). */
    Set<String> frozen() {
        return HintStage.frozen(student, terms);
    }

    /** The tap that collects the student's guided layer outputs, or null when no term needs them. */
    BiConsumer<String, INDArray> studentTap() {
        if (guidedLayers.isEmpty()) {
            return null;
        }
        return (name, value) -> {
            if (guidedLayers.contains(name)) {
                studentOutputs.put(name, value);
            }
        };
    }

    /** Computes the teacher's outputs for {@code batch} (nothing when no term needs a teacher). */
    void teacherStep(Batch batch) {
        teacherOutputs.clear();
        if (teacher == null) {
            return;
        }
        if (hintLayers.isEmpty()) {
            teacherLogits = rows(teacher.logits(batch), classes);
            return;
        }
        Set<String> wanted = new LinkedHashSet<>(hintLayers);
        wanted.add(teacherLast);
        Map<String, Tensor> activations = teacher.capability(ActivationProbe.class).orElseThrow()
                .activations(batch, wanted);
        for (String layer : wanted) {
            if (activations.get(layer) == null) {
                throw new BonsaiException("teacher " + teacher + " gave no activation for layer '" + layer
                        + "' (it gave " + activations.keySet() + ")");
            }
        }
        for (String layer : hintLayers) {
            Tensor t = activations.get(layer);
            teacherOutputs.put(layer, Nd4j.create(t.data(), new long[] {batch.size(), t.data().length / batch.size()},
                    'c'));
        }
        teacherLogits = rows(activations.get(teacherLast), classes);
    }

    /** Zeroes the regressors' gradients before a backward pass. */
    void zeroGrads() {
        regressors.forEach(r -> r.parameters().zeroGrads());
    }

    /** The loss of one step and its gradients. */
    record Value(double loss, INDArray dLogits, Map<String, INDArray> dGuided) {
    }

    /**
     * The weighted loss for the student's {@code logits [N, C]} and {@code oneHot} labels, after
     * {@link #teacherStep} and the student's forward pass through {@link #studentTap}; the regressors' gradients are
     * filled in as a side effect.
     */
    Value value(INDArray logits, INDArray oneHot) {
        long rows = logits.size(0);
        double total = 0;
        INDArray dLogits = Nd4j.zerosLike(logits);
        Map<String, INDArray> dGuided = new HashMap<>();
        int hint = 0;
        for (LossTerm term : terms) {
            double w = term.weight();
            if (term instanceof LossTerm.CrossEntropy) {
                Dl4jLoss ce = new Dl4jLoss(logits, oneHot);
                total += w * ce.sum() / rows;
                dLogits.addi(ce.gradient(w));
            } else if (term instanceof LossTerm.SoftTargetKl kl) {
                double temperature = kl.temperature();
                INDArray logP = Dl4jLoss.logSoftmax(logits.div(temperature));
                INDArray logQ = Dl4jLoss.logSoftmax(teacherLogits.div(temperature));
                INDArray q = Transforms.exp(logQ, true);
                double kld = q.mul(logQ.sub(logP)).sumNumber().doubleValue();
                total += w * temperature * temperature * kld / rows;
                dLogits.addi(Transforms.exp(logP, true).subi(q).muli(w * temperature / rows));
            } else if (term instanceof LossTerm.LogitMse) {
                INDArray diff = logits.sub(teacherLogits);
                double count = (double) rows * classes;
                total += w * diff.mul(diff).sumNumber().doubleValue() / count;
                dLogits.addi(diff.muli(2 * w / count));
            } else if (term instanceof LossTerm.HintMse) {
                Regressor site = regressors.get(hint++);
                total += site.apply(studentOutputs, teacherOutputs, w, dGuided);
            } else {
                throw new BonsaiException("loss term " + term + " is not implemented in dl4j");
            }
        }
        studentOutputs.clear();
        return new Value(total, dLogits, dGuided);
    }

    /** Updates the regressors with the student's optimizer (learning rate already scheduled). */
    void step(double lr, long t) {
        regressors.forEach(r -> r.updater().step(lr, t));
    }

    private static INDArray rows(Tensor t, int classes) {
        return Nd4j.create(t.data(), new long[] {t.data().length / classes, classes}, 'c');
    }

    /**
     * A hint term's regressor {@code regressor.weight [hintWidth, guidedWidth]} and {@code regressor.bias}, with its
     * own parameters and optimizer state.
     */
    private record Regressor(LossTerm.HintMse term, int guidedWidth, int hintWidth, Dl4jParameters parameters,
            Dl4jModel model, Dl4jUpdater updater) {
        static Regressor of(LossTerm.HintMse hint, ModelSpec student, ModelSpec teacher, OptimizerSpec optimizer,
                long seed) {
            Shape g = TeacherChecks.layerOutput(student, hint.studentLayer(), "guided layer", "student");
            Shape h = TeacherChecks.layerOutput(teacher, hint.teacherLayer(), "hint layer", "teacher");
            boolean perPosition = g.rank() == 2 && h.rank() == 2 && g.dim(0) == h.dim(0);
            int gw = perPosition ? g.dim(1) : Math.toIntExact(g.size());
            int hw = perPosition ? h.dim(1) : Math.toIntExact(h.size());
            ModelSpec spec = new ModelSpec("hint-regressor", Shape.of(gw),
                    List.of(new LayerSpec.Dense("regressor", hw, true)));
            Dl4jParameters parameters = new Dl4jParameters(spec);
            var initial = WeightInitializer.initialize(spec, seed);
            for (int i = 0; i < parameters.size(); i++) {
                parameters.set(i, initial.get(parameters.spec(i).name()));
            }
            return new Regressor(hint, gw, hw, parameters, new Dl4jModel(spec, parameters),
                    Dl4jUpdater.of(optimizer, parameters));
        }

        /** The weighted hint loss; adds its gradient with respect to the guided layer's output to {@code dGuided}. */
        double apply(Map<String, INDArray> student, Map<String, INDArray> teacher, double weight,
                Map<String, INDArray> dGuided) {
            INDArray guided = student.get(term.studentLayer());
            if (guided == null) {
                throw new BonsaiException("the student's forward pass did not report layer '" + term.studentLayer()
                        + "' for the hint loss");
            }
            INDArray g = guided.reshape('c', -1, guidedWidth);
            INDArray h = teacher.get(term.teacherLayer()).reshape('c', -1, hintWidth);
            INDArray diff = model.forward(g, true, null).sub(h);
            double count = diff.length();
            double loss = weight * diff.mul(diff).sumNumber().doubleValue() / count;
            INDArray dg = model.backward(diff.muli(2 * weight / count));
            dGuided.merge(term.studentLayer(), dg.reshape('c', guided.shape()), INDArray::add);
            return loss;
        }
    }
}
