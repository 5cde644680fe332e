package dev.bonsai.engine.djl;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.distill.HintStage;
import dev.bonsai.api.distill.TeacherChecks;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.engine.OptimizerSpec;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.WeightInitializer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The training loss of one {@link DjlNetwork#train} call: the weighted sum of the plan's {@link LossTerm}s,
 * computed on the student's device, over every prediction (one per sample, or one per position of a sequence
 * model):
 *
 * <ul>
 *   <li>{@code CrossEntropy}: the mean of {@code -log softmax(s)[label]};</li>
 *   <li>{@code SoftTargetKl} (Hinton et al. 2015): {@code T² · mean_n KL(softmax(t_n/T) ‖ softmax(s_n/T))}, the
 *       KL divergence summed over classes and averaged over predictions; its gradient with respect to the
 *       student's logits is {@code T·(softmax(s/T) - softmax(t/T)) / N}, so T² keeps it the size of the hard-label
 *       gradient as T changes;</li>
 *   <li>{@code LogitMse}: the mean over every logit of {@code (s - t)²};</li>
 *   <li>{@code HintMse} (FitNets, Romero et al. 2015): the mean over every element of
 *       {@code (W·g + b - h)²}, where {@code g} is the student's guided layer output, {@code h} the teacher's hint
 *       layer output and {@code (W, b)} a linear regressor trained with the student by the same optimizer. The
 *       regressor exists for this call only: it is not a parameter of the student and never appears in its
 *       weights. It acts per position when both layers give {@code [T, ·]} outputs with the same T, and on the
 *       flattened outputs otherwise; it starts from Bonsai's seeded initializer with the plan's seed.</li>
 * </ul>
 *
 * <p>The teacher's outputs are computed once per batch, in evaluation mode and without a graph, before the
 * student's forward pass: natively on the device when the teacher is a {@link DjlNetwork} (moved to the student's
 * device if it lives on another), through {@link Network#logits} and the teacher's
 * {@link dev.bonsai.api.engine.ActivationProbe} for any other network (another engine, a host model).
 */
final class DjlLoss implements AutoCloseable {
    private final Nd.Scope scope;
    private final Device device;
    private final int classes;
    private final List<Term> terms = new ArrayList<>();
    private final Set<String> studentLayers = new LinkedHashSet<>();
    private final Map<String, PtNDArray> studentOutputs = new HashMap<>();
    private final BiConsumer<String, PtNDArray> studentTap;
    private final Teacher teacher;
    private final List<Regressor> regressors;
    private final List<LossTerm> lossTerms;

    /**
     * The loss of {@code terms} for training {@code student}.
     *
     * @param optimizer the student's optimizer, which also trains the hint regressors
     * @param seed      the seed of the regressors' initial weights
     * @param manager   the call's manager: constants and regressors live there until the call ends
     * @throws BonsaiException when a term needs a teacher and there is none, the teacher's outputs do not match the
     *                         student's, or a hint layer does not exist
     */
    DjlLoss(DjlNetwork student, List<LossTerm> lossTerms, Optional<Network> teacherNetwork, OptimizerSpec optimizer,
            long seed, PtNDManager manager, Device device, Nd.Scope scope) {
        this.scope = scope;
        this.device = device;
        this.lossTerms = List.copyOf(lossTerms);
        ModelSpec spec = student.spec();
        Shape out = spec.outputShape();
        this.classes = out.dim(-1);
        boolean needsTeacher = lossTerms.stream().anyMatch(t -> !(t instanceof LossTerm.CrossEntropy));
        if (needsTeacher && teacherNetwork.isEmpty()) {
            throw new BonsaiException("the loss " + lossTerms + " needs a teacher, but the training plan has none");
        }
        Set<String> hintLayers = new LinkedHashSet<>();
        List<Regressor> hints = new ArrayList<>();
        ModelSpec teacherSpec = teacherNetwork.map(Network::spec).orElse(null);
        if (needsTeacher) {
            if (teacherNetwork.get() == student) {
                throw new BonsaiException("a network cannot be its own teacher; build a second network for it");
            }
            TeacherChecks.requireCompatible(spec, teacherSpec);
        }
        for (LossTerm term : lossTerms) {
            if (term instanceof LossTerm.HintMse hint) {
                hints.add(Regressor.of(hint, spec, teacherSpec, optimizer, seed + hints.size(), manager, device,
                        scope));
                studentLayers.add(hint.studentLayer());
                hintLayers.add(hint.teacherLayer());
            }
        }
        this.regressors = List.copyOf(hints);
        int hintIndex = 0;
        for (LossTerm term : lossTerms) {
            if (term instanceof LossTerm.CrossEntropy) {
                // the mean log-probability of the labels, times the negated weight
                terms.add(new Term(term, Nd.scalar(manager, -term.weight(), DataType.FLOAT32, device), null, null));
            } else if (term instanceof LossTerm.SoftTargetKl kl) {
                if (!(kl.temperature() > 0) || !Double.isFinite(kl.temperature())) {
                    throw new BonsaiException("SoftTargetKl needs a positive, finite temperature, got "
                            + kl.temperature());
                }
                PtNDArray inverse = Nd.scalar(manager, 1 / kl.temperature(), DataType.FLOAT32, device);
                PtNDArray scaled = Nd.scalar(manager, term.weight() * kl.temperature() * kl.temperature(),
                        DataType.FLOAT32, device);
                terms.add(new Term(term, scaled, inverse, null));
            } else if (term instanceof LossTerm.LogitMse) {
                terms.add(new Term(term, Nd.scalar(manager, term.weight(), DataType.FLOAT32, device), null, null));
            } else if (term instanceof LossTerm.HintMse) {
                terms.add(new Term(term, Nd.scalar(manager, term.weight(), DataType.FLOAT32, device), null,
                        hints.get(hintIndex++)));
            } else {
                throw new BonsaiException("loss term " + term + " is not implemented in djl");
            }
        }
        this.studentTap = studentLayers.isEmpty() ? null : (name, array) -> {
            if (studentLayers.contains(name)) {
                studentOutputs.put(name, array);
            }
        };
        if (!needsTeacher) {
            this.teacher = null;
        } else if (teacherNetwork.get() instanceof DjlNetwork native_) {
            this.teacher = new NativeTeacher(native_, hintLayers);
        } else {
            this.teacher = new ApiTeacher(teacherNetwork.get(), hintLayers, manager, device);
        }
    }

    /**
     * The student's parameters this loss leaves alone: when every term is a hint, those of the layers after the
     * last guided layer (FitNets' first stage trains the layers up to the guided one; {@link HintStage}).
     */
    Set<String> frozen(ModelSpec spec) {
        return HintStage.frozen(spec, lossTerms);
    }

    /** The tap that collects the student's guided layer outputs, or null when no term needs them. */
    BiConsumer<String, PtNDArray> studentTap() {
        return studentTap;
    }

    /**
     * Computes the teacher's outputs for this step (grad mode must be off).
     *
     * @param rows  the batch's input rows on the student's device, {@code [B, inputSize]}
     * @param batch the same batch on the host, made only if the teacher needs it
     */
    void teacherStep(PtNDArray rows, Supplier<Batch> batch) {
        if (teacher != null) {
            teacher.compute(rows, batch);
        }
    }

    /**
     * The weighted loss for the student's {@code output} and {@code labels} ({@code [N, 1]}), after
     * {@link #teacherStep}; part of the autograd graph when grad mode is on.
     */
    PtNDArray value(PtNDArray output, PtNDArray labels) {
        PtNDArray logits = keep(JniUtils.reshape(output, new long[] {-1, classes}));
        PtNDArray total = null;
        for (Term term : terms) {
            PtNDArray v = term.value(this, logits, labels);
            total = total == null ? v : keep(JniUtils.add(total, v));
        }
        studentOutputs.clear();
        return total;
    }

    /** Zeroes the regressors' gradients before a backward pass. */
    void zeroGradients() {
        regressors.forEach(r -> r.parameters().zeroGradients());
    }

    /** Picks up the regressors' gradients after a backward pass. */
    void fetchGradients() {
        regressors.forEach(r -> r.parameters().fetchGradients());
    }

    /** Updates the regressors with the student's optimizer. */
    void step(double lr, long t) {
        regressors.forEach(r -> r.updater().step(lr, t));
    }

    /** Releases the teacher's arrays of this step. */
    void releaseStep() {
        studentOutputs.clear();
        if (teacher != null) {
            teacher.release();
        }
    }

    @Override
    public void close() {
        releaseStep();
        regressors.forEach(r -> r.updater().close());
    }

    /**
     * The weighted mean cross-entropy of {@code logits [N, C]} against {@code labels [N, 1]}; {@code negWeight} is
     * the term's weight negated, or null for weight 1.
     */
    static PtNDArray crossEntropy(Nd.Scope scope, PtNDArray logits, PtNDArray labels, PtNDArray negWeight) {
        PtNDArray logProbabilities = scope.add(JniUtils.logSoftmax(logits, 1, DataType.FLOAT32));
        PtNDArray picked = scope.add(JniUtils.gather(logProbabilities, labels, 1));
        PtNDArray mean = scope.add(JniUtils.mean(picked));
        return scope.add(negWeight == null ? JniUtils.neg(mean) : JniUtils.mul(mean, negWeight));
    }

    private PtNDArray keep(PtNDArray array) {
        return scope.add(array);
    }

    /** {@code teacher}'s value moved to the student's device if it lives elsewhere. */
    private PtNDArray here(PtNDArray array) {
        return array.getDevice().equals(device) ? array : keep(JniUtils.to(array, DataType.FLOAT32, device));
    }

    /**
     * One term with its device constants: the factor its mean is multiplied by (the negated weight for
     * cross-entropy, w·T² for soft targets, the weight otherwise), and 1/T for soft targets.
     */
    private record Term(LossTerm term, PtNDArray weight, PtNDArray inverseTemperature, Regressor hint) {
        PtNDArray value(DjlLoss loss, PtNDArray logits, PtNDArray labels) {
            if (term instanceof LossTerm.CrossEntropy) {
                return crossEntropy(loss.scope, logits, labels, weight);
            }
            if (term instanceof LossTerm.SoftTargetKl) {
                return loss.softTargetKl(logits, this);
            }
            if (term instanceof LossTerm.LogitMse) {
                PtNDArray t = loss.here(loss.teacher.logits(loss.classes));
                PtNDArray diff = loss.keep(JniUtils.sub(logits, t));
                PtNDArray mean = loss.keep(JniUtils.mean(loss.keep(JniUtils.square(diff))));
                return loss.keep(JniUtils.mul(mean, weight));
            }
            return loss.hint(this);
        }
    }

    private PtNDArray softTargetKl(PtNDArray logits, Term term) {
        PtNDArray t = here(teacher.logits(classes));
        PtNDArray studentScaled = keep(JniUtils.mul(logits, term.inverseTemperature()));
        PtNDArray teacherScaled = keep(JniUtils.mul(t, term.inverseTemperature()));
        PtNDArray logStudent = keep(JniUtils.logSoftmax(studentScaled, 1, DataType.FLOAT32));
        PtNDArray logTeacher = keep(JniUtils.logSoftmax(teacherScaled, 1, DataType.FLOAT32));
        PtNDArray pTeacher = keep(JniUtils.softmax(teacherScaled, 1, DataType.FLOAT32));
        PtNDArray gap = keep(JniUtils.sub(logTeacher, logStudent));
        PtNDArray perRow = keep(JniUtils.sum(keep(JniUtils.mul(pTeacher, gap)), new long[] {1}, false));
        PtNDArray mean = keep(JniUtils.mean(perRow));
        return keep(JniUtils.mul(mean, term.weight()));
    }

    private PtNDArray hint(Term term) {
        Regressor site = term.hint();
        PtNDArray guided = studentOutputs.get(site.term().studentLayer());
        if (guided == null) {
            throw new BonsaiException("the student's forward pass did not report layer '" + site.term().studentLayer()
                    + "' for the hint loss");
        }
        PtNDArray g = keep(JniUtils.reshape(guided, new long[] {-1, site.guidedWidth()}));
        PtNDArray h = keep(JniUtils.reshape(here(teacher.activation(site.term().teacherLayer())),
                new long[] {-1, site.hintWidth()}));
        Parameters p = site.parameters();
        PtNDArray mapped = keep(JniUtils.linear(g, p.value(p.index("regressor.weight")),
                p.value(p.index("regressor.bias"))));
        PtNDArray diff = keep(JniUtils.sub(mapped, h));
        PtNDArray mean = keep(JniUtils.mean(keep(JniUtils.square(diff))));
        return keep(JniUtils.mul(mean, term.weight()));
    }

    /**
     * A hint term's learned regressor, {@code regressor.weight [hintWidth, guidedWidth]} and {@code regressor.bias},
     * with its own optimizer state: it maps rows of the student's guided layer output (per position for two
     * {@code [T, ·]} outputs of the same T, else flattened per sample) to rows of the teacher's hint.
     */
    private record Regressor(LossTerm.HintMse term, int guidedWidth, int hintWidth, Parameters parameters,
            Updater updater) {
        static Regressor of(LossTerm.HintMse hint, ModelSpec student, ModelSpec teacher, OptimizerSpec optimizer,
                long seed, PtNDManager manager, Device device, Nd.Scope scope) {
            Shape g = TeacherChecks.layerOutput(student, hint.studentLayer(), "guided layer", "student");
            Shape h = TeacherChecks.layerOutput(teacher, hint.teacherLayer(), "hint layer", "teacher");
            boolean perPosition = g.rank() == 2 && h.rank() == 2 && g.dim(0) == h.dim(0);
            int gw = perPosition ? g.dim(1) : Math.toIntExact(g.size());
            int hw = perPosition ? h.dim(1) : Math.toIntExact(h.size());
            ModelSpec spec = new ModelSpec("hint-regressor", Shape.of(gw),
                    List.of(new LayerSpec.Dense("regressor", hw, true)));
            Parameters parameters = new Parameters(spec, manager, device);
            var initial = WeightInitializer.initialize(spec, seed);
            for (int i = 0; i < parameters.size(); i++) {
                parameters.set(i, initial.get(parameters.spec(i).name()));
            }
            Updater updater = Updater.of(optimizer, parameters, manager.newSubManager(device), device, scope);
            return new Regressor(hint, gw, hw, parameters, updater);
        }
    }

    /** The teacher's outputs of the current step. */
    private interface Teacher {
        void compute(PtNDArray rows, Supplier<Batch> batch);

        /** The logits as {@code [N, classes]}. */
        PtNDArray logits(int classes);

        PtNDArray activation(String layer);

        void release();
    }

    /** A teacher on this engine: its forward pass runs on the device arrays directly. */
    private final class NativeTeacher implements Teacher {
        private final DjlNetwork network;
        private final Set<String> layers;
        private final Map<String, PtNDArray> outputs = new HashMap<>();
        private PtNDArray output;

        NativeTeacher(DjlNetwork network, Set<String> layers) {
            this.network = network;
            this.layers = layers;
        }

        @Override
        public void compute(PtNDArray rows, Supplier<Batch> batch) {
            output = network.forwardRows(rows, layers.isEmpty() ? null : (name, array) -> {
                if (layers.contains(name)) {
                    outputs.put(name, array);
                }
            });
        }

        @Override
        public PtNDArray logits(int classes) {
            return keep(JniUtils.reshape(output, new long[] {-1, classes}));
        }

        @Override
        public PtNDArray activation(String layer) {
            PtNDArray a = outputs.get(layer);
            if (a == null) {
                throw new BonsaiException("the teacher's forward pass did not report its hint layer '" + layer + "'");
            }
            return a;
        }

        @Override
        public void release() {
            outputs.clear();
            output = null;
            network.releaseStep();
        }
    }

    /** Any other teacher: host batches through the API, results uploaded to the student's device. */
    private final class ApiTeacher implements Teacher {
        private final Network network;
        private final Set<String> layers;
        private final String last;
        private final PtNDManager manager;
        private final Device target;
        private final Map<String, PtNDArray> outputs = new HashMap<>();
        private PtNDArray output;

        ApiTeacher(Network network, Set<String> layers, PtNDManager manager, Device target) {
            this.network = network;
            this.layers = layers;
            List<LayerSpec> top = network.spec().layers();
            this.last = top.get(top.size() - 1).name();
            this.manager = manager;
            this.target = target;
            if (!layers.isEmpty() && network.capability(dev.bonsai.api.engine.ActivationProbe.class).isEmpty()) {
                throw new BonsaiException("teacher " + network + " offers no ActivationProbe, which the hint loss"
                        + " needs for its layers " + layers);
            }
        }

        @Override
        public void compute(PtNDArray rows, Supplier<Batch> batch) {
            Batch b = batch.get();
            if (layers.isEmpty()) {
                output = upload(network.logits(b).data(), b.size());
                return;
            }
            Set<String> wanted = new LinkedHashSet<>(layers);
            wanted.add(last);
            var activations = network.capability(dev.bonsai.api.engine.ActivationProbe.class).orElseThrow()
                    .activations(b, wanted);
            for (String layer : wanted) {
                if (activations.get(layer) == null) {
                    throw new BonsaiException("teacher " + network + " gave no activation for layer '" + layer
                            + "' (it gave " + activations.keySet() + ")");
                }
            }
            for (String layer : layers) {
                outputs.put(layer, upload(activations.get(layer).data(), b.size()));
            }
            output = upload(activations.get(last).data(), b.size());
        }

        private PtNDArray upload(float[] values, int batch) {
            return keep(Nd.upload(manager, values, new long[] {batch, values.length / batch}, target));
        }

        @Override
        public PtNDArray logits(int classes) {
            return keep(JniUtils.reshape(output, new long[] {-1, classes}));
        }

        @Override
        public PtNDArray activation(String layer) {
            return outputs.get(layer);
        }

        @Override
        public void release() {
            outputs.clear();
            output = null;
        }
    }
}
