package dev.bonsai.engine.dl4j;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.ActivationProbe;
import dev.bonsai.api.engine.Capability;
import dev.bonsai.api.engine.Evaluation;
import dev.bonsai.api.engine.GradientProbe;
import dev.bonsai.api.engine.MovementProbe;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.engine.TrainingConfig;
import dev.bonsai.api.engine.TrainingListener;
import dev.bonsai.api.engine.TrainingPlan;
import dev.bonsai.api.engine.TrainingResult;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.MaskSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model on ND4J: its trainable parameters in one flat vector ({@link Dl4jParameters}), a forward and backward
 * pass compiled once from the spec ({@link Dl4jModel}: dense layers as matrix products, libnd4j's convolution and
 * pooling kernels, batch and layer norm, exact GELU), and training with PyTorch's SGD and Adam/AdamW formulations,
 * masks enforced at every step on any trainable parameter. Masks set during training (from a listener) also zero
 * the optimizer state of the newly pruned elements; movement scores ({@link MovementProbe}) accumulate beside the
 * flat parameters once started.
 *
 * <p>The training loss is the weighted sum of the plan's loss terms, cross-entropy and the distillation terms
 * ({@link Dl4jDistillation}: soft targets, logit MSE, FitNets hints, with a teacher on any engine), each a mean over
 * every prediction (one per sample for a classifier, one per position for a sequence model); evaluation's loss is
 * the mean cross-entropy, its accuracy likewise per prediction. Batches are gathered on the host (in the shared
 * sampler's order for training) and copied to ND4J per step: ND4J's {@code pullRows} and views of a whole uploaded
 * split measured several times slower. Dropout draws from ND4J's generator, seeded at the start of each call from the sampler's seed and first epoch, so
 * two trainings from the same weights and seed give identical weights on the CPU.
 *
 * <p>Not thread-safe; one trial uses a network at a time.
 */
public final class Dl4jNetwork implements Network {
    private static final Logger LOG = LogManager.getLogger(Dl4jNetwork.class);

    private final Dl4jRuntime runtime;
    private final ModelSpec spec;
    private final String device;
    private final Dl4jParameters parameters;
    private final Dl4jModel model;
    private final long[] inputShape;
    private final int inputSize;
    private final int classes;
    private final int positions;
    private MaskSet masks = MaskSet.empty();
    private Dl4jMovement movement;
    private Dl4jUpdater activeUpdater;
    private boolean closed;

    Dl4jNetwork(Dl4jRuntime runtime, ModelSpec spec, Weights initial, String device) {
        this.runtime = runtime;
        this.spec = spec;
        this.device = device;
        this.parameters = new Dl4jParameters(spec);
        this.model = new Dl4jModel(spec, parameters);
        int[] dims = spec.inputShape().dims();
        this.inputShape = new long[dims.length + 1];
        for (int i = 0; i < dims.length; i++) {
            inputShape[i + 1] = dims[i];
        }
        this.inputSize = Math.toIntExact(spec.inputShape().size());
        Shape out = spec.outputShape();
        this.classes = out.rank() <= 2 ? out.dim(-1) : -1;
        this.positions = out.rank() == 2 ? out.dim(0) : 1;
        for (int i = 0; i < parameters.size(); i++) {
            parameters.set(i, initial.get(parameters.spec(i).name()));
        }
        LOG.debug("built {} on dl4j {}", spec, device);
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public Weights weights() {
        checkOpen();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            out.put(parameters.spec(i).name(), parameters.download(i));
        }
        return new Weights(out);
    }

    @Override
    public void loadWeights(Weights weights) {
        checkOpen();
        Objects.requireNonNull(weights, "weights").checkFitsPartOf(spec);
        for (Map.Entry<String, Tensor> e : weights.asMap().entrySet()) {
            parameters.set(parameters.index(e.getKey()), e.getValue());
        }
    }

    @Override
    public void applyMasks(MaskSet newMasks) {
        checkOpen();
        Objects.requireNonNull(newMasks, "masks").checkFits(spec);
        parameters.masks(newMasks);
        if (activeUpdater != null) {
            activeUpdater.maskState();
        }
        this.masks = newMasks;
    }

    @Override
    public MaskSet masks() {
        return masks;
    }

    @Override
    public void clearMasks() {
        checkOpen();
        parameters.masks(MaskSet.empty());
        masks = MaskSet.empty();
    }

    @Override
    public TrainingResult train(TrainingPlan plan, TrainingListener listener) {
        checkOpen();
        Objects.requireNonNull(plan, "plan");
        TrainingListener events = listener == null ? TrainingListener.NONE : listener;
        TrainingConfig config = plan.config();
        requireClassifier("train");
        Split data = plan.data();
        int n = data.size();
        int batch = config.batchSize();
        long stepsPerEpoch = plan.stepsPerEpoch();
        long totalSteps = stepsPerEpoch * config.epochs();
        if (config.epochs() > 0 && stepsPerEpoch == 0) {
            throw new BonsaiException("cannot train on split '" + data.name() + "': its " + n
                    + " samples make no full batch of " + batch);
        }
        long start = System.nanoTime();
        List<Double> losses = new ArrayList<>();
        if (config.epochs() == 0) {
            return new TrainingResult(losses, 0, 0);
        }
        check(data);
        Dl4jDistillation loss = new Dl4jDistillation(this, config.loss(), plan.teacher(), config.optimizer(),
                plan.sampler().seed());
        parameters.freeze(loss.frozen());
        Nd4j.getRandom().setSeed(mix(plan.sampler().seed(), plan.firstEpoch()));
        Dl4jUpdater updater = Dl4jUpdater.of(config.optimizer(), parameters);
        double baseLr = config.optimizer().lr();
        long step = 0;
        activeUpdater = updater;
        try {
            events.started(totalSteps);
            for (int e = 0; e < config.epochs(); e++) {
                int epoch = plan.firstEpoch() + e;
                int[] order = plan.sampler().order(n, epoch);
                double lossSum = 0;
                for (long s = 0; s < stepsPerEpoch; s++, step++) {
                    Batch rows = plan.trainingBatch(order, (int) (s * batch), (int) (s * batch + batch), epoch);
                    INDArray x = input(Nd4j.create(rows.features().data(), new long[] {batch, inputSize}, 'c'));
                    INDArray y = oneHot(rows.labels());
                    loss.teacherStep(rows);
                    parameters.zeroGrads();
                    loss.zeroGrads();
                    Dl4jDistillation.Value value = loss.value(perPosition(model.forward(x, true, loss.studentTap())), y);
                    lossSum += value.loss();
                    model.backward(value.dLogits().reshape('c', outputShape(batch)), value.dGuided());
                    parameters.holdFrozenGrads();
                    if (movement != null) {
                        movement.accumulate();
                    }
                    if (config.gradientClip() > 0) {
                        clip(config.gradientClip());
                    }
                    double factor = config.schedule().factor(step, totalSteps, stepsPerEpoch);
                    updater.step(baseLr * factor, step + 1);
                    loss.step(baseLr * factor, step + 1);
                    if (config.maxNorm() > 0) {
                        parameters.constrainNorms(config.maxNorm());
                    }
                    parameters.restoreFrozen();
                    double running = lossSum / (s + 1);
                    events.stepped(step, () -> running);
                }
                double mean = lossSum / stepsPerEpoch;
                losses.add(mean);
                events.epochEnded(e, mean);
            }
            return new TrainingResult(losses, step, (System.nanoTime() - start) / 1e9);
        } finally {
            parameters.freeze(java.util.Set.of());
            activeUpdater = null;
            parameters.zeroGrads();
        }
    }

    /** Global-norm gradient clipping, as PyTorch's {@code clip_grad_norm_} (masked gradients excluded). */
    private void clip(double maxNorm) {
        INDArray g = parameters.flatGrads();
        if (parameters.flatMask() != null) {
            g.muli(parameters.flatMask());
        }
        double norm = g.norm2Number().doubleValue();
        double coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1) {
            g.muli(coefficient);
        }
    }

    @Override
    public Evaluation evaluate(Split data, int batchSize) {
        checkOpen();
        Objects.requireNonNull(data, "data");
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        requireClassifier("evaluate");
        int n = data.size();
        if (n == 0) {
            return new Evaluation(Double.NaN, Double.NaN, 0);
        }
        check(data);
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            float[] rows = new float[(to - from) * inputSize];
            data.copyRows(from, to, rows, 0);
            INDArray x = input(Nd4j.create(rows, new long[] {to - from, inputSize}, 'c'));
            int[] labels = new int[(to - from) * positions];
            data.copyLabelRows(from, to, labels, 0);
            INDArray y = oneHot(labels);
            INDArray logits = perPosition(model.forward(x, false, null));
            lossSum += new Dl4jLoss(logits, y).sum();
            int[] predicted = Nd4j.argMax(logits, 1).toIntVector();
            for (int i = 0; i < predicted.length; i++) {
                if (predicted[i] == labels[i]) {
                    correct++;
                }
            }
        }
        double count = (double) n * positions;
        return new Evaluation(lossSum / count, correct / count, n);
    }

    @Override
    public Tensor logits(Batch batch) {
        checkOpen();
        Objects.requireNonNull(batch, "batch");
        INDArray out = forwardHost(batch, false, null);
        return new Tensor(spec.outputShape().prepend(batch.size()), Dl4jParameters.hostFloats(out));
    }

    @Override
    public <C extends Capability> Optional<C> capability(Class<C> type) {
        if (type == GradientProbe.class) {
            return Optional.of(type.cast((GradientProbe) this::gradientSum));
        }
        if (type == ActivationProbe.class) {
            return Optional.of(type.cast(new Dl4jActivations(this)));
        }
        if (type == MovementProbe.class) {
            if (movement == null) {
                movement = new Dl4jMovement(parameters);
            }
            return Optional.of(type.cast(movement));
        }
        return Optional.empty();
    }

    /**
     * {@link GradientProbe}: the gradient of each batch's mean cross-entropy, summed over the batches, in evaluation
     * mode (no dropout, running statistics). Gradients of pruned weights are reported as computed, not masked.
     */
    private Weights gradientSum(List<Batch> batches) {
        checkOpen();
        requireClassifier("compute gradients");
        try {
            parameters.zeroGrads();
            for (Batch batch : batches) {
                checkLabelsPerSample(batch.labelsPerSample(), "batch");
                INDArray logits = perPosition(forwardHost(batch, false, null));
                INDArray y = oneHot(checkLabels(batch.labels(), "batch"));
                model.backward(new Dl4jLoss(logits, y).gradient(1).reshape('c', outputShape(batch.size())));
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (int i = 0; i < parameters.size(); i++) {
                if (parameters.trainable(i)) {
                    out.put(parameters.spec(i).name(), parameters.downloadGrad(i));
                }
            }
            return new Weights(out);
        } finally {
            parameters.zeroGrads();
        }
    }

    /** The forward pass of a host batch in evaluation or training mode, with an optional tap (for probes). */
    INDArray forwardHost(Batch batch, boolean training, BiConsumer<String, INDArray> tap) {
        checkOpen();
        checkSampleSize(batch.features().size() / Math.max(1, batch.size()), "batch");
        INDArray rows = Nd4j.create(batch.features().data(), new long[] {batch.size(), inputSize}, 'c');
        return model.forward(input(rows), training, tap);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        runtime.closed(this);
    }

    @Override
    public String toString() {
        return "Dl4jNetwork[" + spec.name() + " on " + device + "]";
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** Rows of {@code inputSize} values shaped as the model's input, {@code [batch, ...input]}. */
    private INDArray input(INDArray rows) {
        if (inputShape.length == 2) {
            return rows;
        }
        long[] shape = inputShape.clone();
        shape[0] = rows.size(0);
        return rows.reshape('c', shape);
    }

    /** {@code [batch, ...output]} as ND4J wants it. */
    private long[] outputShape(int batch) {
        return Dl4jParameters.longs(spec.outputShape().prepend(batch));
    }

    /** Logits {@code [B, T, C]} as {@code [B·T, C]}; classifier logits {@code [B, C]} as they are. */
    private INDArray perPosition(INDArray logits) {
        return positions == 1 ? logits : logits.reshape('c', -1, classes);
    }

    /** One-hot rows {@code [labels, classes]}. */
    private INDArray oneHot(int[] labels) {
        float[] data = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            data[i * classes + labels[i]] = 1f;
        }
        return Nd4j.create(data, new long[] {labels.length, classes}, 'c');
    }

    private void requireClassifier(String what) {
        if (classes < 0) {
            throw new BonsaiException("engine dl4j cannot " + what + " model '" + spec.name() + "': cross-entropy"
                    + " needs a [classes] or [positions, classes] output but it gives " + spec.outputShape());
        }
    }

    private void checkLabelsPerSample(int labelsPerSample, String what) {
        if (labelsPerSample != positions) {
            throw new BonsaiException("model '" + spec.name() + "' gives " + spec.outputShape() + " and so needs "
                    + positions + " label(s) per sample, but the " + what + " has " + labelsPerSample);
        }
    }

    private void checkSampleSize(long size, String what) {
        if (size != inputSize) {
            throw new BonsaiException("model '" + spec.name() + "' takes samples of shape " + spec.inputShape() + " ("
                    + inputSize + " values) but the " + what + " has samples of " + size + " values");
        }
    }

    private int[] checkLabels(int[] labels, String what) {
        for (int label : labels) {
            if (label < 0 || label >= classes) {
                throw new BonsaiException("the " + what + " has label " + label + " but model '" + spec.name()
                        + "' has " + classes + " classes");
            }
        }
        return labels;
    }

    /** Checks that a split fits the model: sample size, labels per sample and label range. */
    private void check(Split data) {
        checkSampleSize(data.sampleShape().size(), "split '" + data.name() + "'");
        checkLabelsPerSample(data.labelsPerSample(), "split '" + data.name() + "'");
        data.checkLabelsFit(classes, spec.name());
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    private static long mix(long seed, long salt) {
        long z = seed * 0x9E3779B97F4A7C15L + salt;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
