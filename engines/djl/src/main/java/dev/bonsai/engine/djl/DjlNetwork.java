package dev.bonsai.engine.djl;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.Capability;
import dev.bonsai.api.engine.Evaluation;
import dev.bonsai.api.engine.GradientProbe;
import dev.bonsai.api.engine.IncrementalDecoding;
import dev.bonsai.api.engine.MovementProbe;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.engine.TrainingConfig;
import dev.bonsai.api.engine.TrainingListener;
import dev.bonsai.api.engine.TrainingPlan;
import dev.bonsai.api.engine.TrainingResult;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterRole;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import dev.bonsai.api.prune.MaskSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A model on a DJL / PyTorch device: parameters as PyTorch tensors on the device, a forward pass of fused native
 * operators compiled once from the spec ({@link Forward}: {@code linear}, {@code convolution}, {@code batch_norm},
 * {@code layer_norm}, {@code embedding}, ...), training with PyTorch's SGD and Adam/AdamW formulations and masks
 * enforced at every step on any parameter. Masks set during training (from a listener) also zero the optimizer state
 * of the newly pruned elements. Movement scores ({@link MovementProbe}) accumulate on the device after each backward
 * pass once started.
 *
 * <p>The training loss is the weighted sum of the plan's loss terms ({@link DjlLoss}: cross-entropy, and the
 * distillation terms against a teacher), each a mean over every prediction: one per sample for a classifier
 * ({@code [classes]} output), one per position for a sequence model ({@code [T, vocab]} output, whose splits carry T
 * labels per sample); evaluation's loss (cross-entropy) and accuracy are per prediction likewise.
 *
 * <p>Training uploads the training split to the device once (it stays cached, with at most one other split, until
 * the network is closed), gathers each batch's rows there by index, accumulates the epoch's loss there, and reads
 * it back once per epoch. With an augmentation in the plan's configuration, each batch is instead gathered and
 * transformed on the host ({@link TrainingPlan#trainingBatch}) and uploaded per step; the teacher, if any, sees the
 * same transformed batch. Each call of {@link #train} starts with fresh optimizer state. Dropout draws from
 * PyTorch's global generator, seeded at the start of each call from the sampler's seed and first epoch, so two
 * trainings from the same weights and seed give identical weights on the CPU.
 *
 * <p>Not thread-safe; one trial uses a network at a time.
 */
public final class DjlNetwork implements Network {
    private static final Logger LOG = LogManager.getLogger(DjlNetwork.class);
    private static final int CACHED_SPLITS = 2;

    private final DjlRuntime runtime;
    private final ModelSpec spec;
    private final String deviceName;
    private final Device device;
    private final PtNDManager manager;
    private final Parameters parameters;
    private final Forward forward;
    private final long[] inputShape;
    private final int inputSize;
    private final int classes;
    private final int positions;
    private final boolean dropout;
    private final PtNDArray one;
    private final Nd.Scope scope = new Nd.Scope();
    private final Map<Split, DeviceSplit> splits = new LinkedHashMap<>(4, 0.75f, true);
    private final GradientProbe gradientProbe = this::gradientSum;
    private final DjlMovement movement;
    private Updater activeUpdater;
    private DeviceSplit training;
    private MaskSet masks = MaskSet.empty();
    private boolean closed;

    DjlNetwork(DjlRuntime runtime, ModelSpec spec, Weights initial, String deviceName, Device device,
            PtNDManager manager) {
        this.runtime = runtime;
        this.spec = spec;
        this.deviceName = deviceName;
        this.device = device;
        this.manager = manager;
        this.parameters = new Parameters(spec, manager, device);
        this.forward = new Forward(spec, parameters, manager, device, scope);
        this.dropout = forward.stochastic();
        int[] dims = spec.inputShape().dims();
        this.inputShape = new long[dims.length + 1];
        this.inputShape[0] = -1;
        for (int i = 0; i < dims.length; i++) {
            this.inputShape[i + 1] = dims[i];
        }
        this.inputSize = Math.toIntExact(spec.inputShape().size());
        Shape out = spec.outputShape();
        this.classes = out.rank() <= 2 ? out.dim(-1) : -1;
        this.positions = out.rank() == 2 ? out.dim(0) : 1;
        this.one = Nd.scalar(manager, 1, DataType.FLOAT32, device);
        this.movement = new DjlMovement(parameters, manager, device);
        for (int i = 0; i < parameters.size(); i++) {
            parameters.set(i, initial.get(parameters.spec(i).name()));
        }
        LOG.debug("built {} on djl {}", spec, deviceName);
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public String device() {
        return deviceName;
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
        for (int i = 0; i < parameters.size(); i++) {
            parameters.mask(i, newMasks.asMap().get(parameters.spec(i).name()));
        }
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
        for (int i = 0; i < parameters.size(); i++) {
            parameters.mask(i, null);
        }
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
        runtime.threads().apply();
        if (config.epochs() == 0) {
            return new TrainingResult(losses, 0, 0);
        }
        boolean augmented = config.augmentation().isPresent();
        if (augmented) {
            checkHostSplit(data);
        }
        // without augmentation the split lives on the device and batches are gathered there; with it, each batch is
        // gathered and transformed on the host and uploaded per step
        DeviceSplit split = augmented ? null : upload(data);
        training = split;
        boolean gradMode = JniUtils.isGradMode();
        PtNDManager callManager = manager.newSubManager(device);
        try (Updater updater = Updater.of(config.optimizer(), parameters, callManager.newSubManager(device), device, scope);
                DjlLoss loss = new DjlLoss(this, config.loss(), plan.teacher(), config.optimizer(),
                        plan.sampler().seed(), callManager, device, scope)) {
            parameters.freeze(loss.frozen(spec));
            if (dropout) {
                JniUtils.setSeed(mix(plan.sampler().seed(), plan.firstEpoch()));
            }
            Clipper clipper = config.gradientClip() > 0 ? new Clipper(config.gradientClip(), callManager) : null;
            MaxNorm maxNorm = config.maxNorm() > 0 ? new MaxNorm(config.maxNorm(), callManager) : null;
            double baseLr = config.optimizer().lr();
            activeUpdater = updater;
            events.started(totalSteps);
            long step = 0;
            for (int e = 0; e < config.epochs(); e++) {
                int epoch = plan.firstEpoch() + e;
                int[] order = plan.sampler().order(n, epoch);
                try (PtNDArray orderOnDevice = augmented ? null
                                : Nd.uploadLongs(callManager, order, new long[] {n}, device);
                        PtNDArray labels = augmented ? null
                                : shuffledLabels(split.labels(), orderOnDevice, n, callManager);
                        PtNDArray lossSum = Nd.scalar(callManager, 0, DataType.FLOAT64, device)) {
                    for (long s = 0; s < stepsPerEpoch; s++, step++) {
                        runtime.threads().apply();
                        int first = (int) (s * batch);
                        PtNDArray flat;
                        PtNDArray y;
                        Supplier<Batch> hostBatch;
                        if (augmented) {
                            Batch b = plan.trainingBatch(order, first, first + batch, epoch);
                            flat = scope.add(Nd.upload(manager, b.features().data(), new long[] {batch, inputSize},
                                    device));
                            y = labelColumn(scope.add(Nd.uploadLongs(manager, b.labels(),
                                    new long[] {batch, positions}, device)));
                            hostBatch = () -> b;
                        } else {
                            PtNDArray rows = scope.add(JniUtils.slice(orderOnDevice, 0, first, first + batch, 1));
                            flat = scope.add(JniUtils.embedding(rows, split.features(), false));
                            y = labelColumn(scope.add(JniUtils.slice(labels, 0, first, first + batch, 1)));
                            hostBatch = () -> data.batch(order, first, first + batch);
                        }
                        PtNDArray x = input(flat);
                        loss.teacherStep(flat, hostBatch);
                        parameters.zeroGradients();
                        loss.zeroGradients();
                        JniUtils.setGradMode(true);
                        PtNDArray value = loss.value(forward.forward(x, true, loss.studentTap()), y);
                        JniUtils.backward(value, one, false, false);
                        JniUtils.setGradMode(false);
                        JniUtils.addi(lossSum, value);
                        parameters.fetchGradients();
                        loss.fetchGradients();
                        movement.accumulate();
                        if (clipper != null) {
                            clipper.clip();
                        }
                        double rate = baseLr * config.schedule().factor(step, totalSteps, stepsPerEpoch);
                        updater.step(rate, step + 1);
                        loss.step(rate, step + 1);
                        if (maxNorm != null) {
                            maxNorm.apply();
                        }
                        scope.close();
                        loss.releaseStep();
                        long done = s + 1;
                        events.stepped(step, () -> Nd.value(lossSum) / done);
                    }
                    double mean = Nd.value(lossSum) / stepsPerEpoch;
                    losses.add(mean);
                    events.epochEnded(e, mean);
                }
            }
            return new TrainingResult(losses, step, (System.nanoTime() - start) / 1e9);
        } finally {
            activeUpdater = null;
            training = null;
            scope.close();
            parameters.freeze(java.util.Set.of());
            JniUtils.setGradMode(false);
            parameters.zeroGradients();
            callManager.close();
            JniUtils.setGradMode(gradMode);
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
        runtime.threads().apply();
        int n = data.size();
        if (n == 0) {
            return new Evaluation(Double.NaN, Double.NaN, 0);
        }
        DeviceSplit split = upload(data);
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (PtNDArray lossSum = Nd.scalar(manager, 0, DataType.FLOAT64, device);
                PtNDArray correct = Nd.scalar(manager, 0, DataType.INT64, device)) {
            for (long from = 0; from < n; from += batchSize) {
                long to = Math.min(n, from + batchSize);
                PtNDArray x = input(scope.add(JniUtils.slice(split.features(), 0, from, to, 1)));
                PtNDArray y = labelColumn(scope.add(JniUtils.slice(split.labels(), 0, from, to, 1)));
                PtNDArray logits = perPosition(forward(x, false));
                PtNDArray logProbabilities = scope.add(JniUtils.logSoftmax(logits, 1, DataType.FLOAT32));
                PtNDArray picked = scope.add(JniUtils.gather(logProbabilities, y, 1));
                JniUtils.subi(lossSum, scope.add(JniUtils.sum(picked)));
                PtNDArray predicted = scope.add(JniUtils.argMax(logits, 1, true));
                PtNDArray hits = scope.add(JniUtils.eq(predicted, y));
                JniUtils.addi(correct, scope.add(JniUtils.sum(hits)));
                scope.close();
            }
            double count = (double) n * positions;
            return new Evaluation(Nd.value(lossSum) / count, Nd.value(correct) / count, n);
        } finally {
            scope.close();
            JniUtils.setGradMode(gradMode);
        }
    }

    @Override
    public Tensor logits(Batch batch) {
        checkOpen();
        Objects.requireNonNull(batch, "batch");
        Tensor features = batch.features();
        checkSampleSize(features.size() / Math.max(1, batch.size()), "batch");
        runtime.threads().apply();
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            PtNDArray x = input(scope.add(Nd.upload(manager, features.data(),
                    new long[] {batch.size(), inputSize}, device)));
            float[] out = Nd.download(forward(x, false));
            return new Tensor(spec.outputShape().prepend(batch.size()), out);
        } finally {
            scope.close();
            JniUtils.setGradMode(gradMode);
        }
    }

    @Override
    public <C extends Capability> Optional<C> capability(Class<C> type) {
        if (type == GradientProbe.class) {
            return Optional.of(type.cast(gradientProbe));
        }
        if (type == IncrementalDecoding.class) {
            return decodable() ? Optional.of(type.cast((IncrementalDecoding) streams -> {
                checkOpen();
                return new DjlDecoder(this, forward, scope, manager, device, streams);
            })) : Optional.empty();
        }
        if (type == MovementProbe.class) {
            return Optional.of(type.cast(movement));
        }
        // probes: native Hessian-vector products, curvature and activations, see DjlNativeProbes
        return DjlNativeProbes.capability(this, manager, device, type);
    }

    /**
     * Whether {@link IncrementalDecoding} applies: a causal sequence model ({@code [T]} token ids to
     * {@code [T, vocab]}) of ops {@link DjlDecoder} decodes incrementally.
     */
    private boolean decodable() {
        return spec.inputShape().rank() == 1 && spec.outputShape().rank() == 2
                && spec.outputShape().dim(0) == spec.inputShape().dim(0)
                && spec.layers().get(0) instanceof dev.bonsai.api.model.LayerSpec.Embedding
                && DjlDecoder.supports(forward.ops());
    }

    /**
     * {@link GradientProbe}: the gradient of each batch's mean cross-entropy, summed over the batches, in evaluation
     * mode (no dropout). Gradients of pruned weights are reported as computed, not masked.
     */
    private Weights gradientSum(List<Batch> batches) {
        checkOpen();
        requireClassifier("compute gradients");
        boolean gradMode = JniUtils.isGradMode();
        try {
            JniUtils.setGradMode(false);
            parameters.zeroGradients();
            for (Batch batch : batches) {
                checkSampleSize(batch.features().size() / Math.max(1, batch.size()), "batch");
                checkLabelsPerSample(batch.labelsPerSample(), "batch");
                PtNDArray x = input(scope.add(Nd.upload(manager, batch.features().data(),
                        new long[] {batch.size(), inputSize}, device)));
                PtNDArray y = scope.add(Nd.uploadLongs(manager, checkLabels(batch.labels(), "batch"),
                        new long[] {batch.labels().length, 1}, device));
                JniUtils.setGradMode(true);
                PtNDArray loss = DjlLoss.crossEntropy(scope, perPosition(forward(x, false)), y, null);
                JniUtils.backward(loss, one, false, false);
                JniUtils.setGradMode(false);
                parameters.fetchGradients();
                scope.close();
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (int i = 0; i < parameters.size(); i++) {
                if (!parameters.trainable(i)) {
                    continue;
                }
                PtNDArray g = parameters.grad(i);
                Tensor t = g == null ? Tensor.zeros(parameters.spec(i).shape())
                        : new Tensor(parameters.spec(i).shape(), Nd.download(g));
                out.put(parameters.spec(i).name(), t);
            }
            return new Weights(out);
        } finally {
            scope.close();
            JniUtils.setGradMode(false);
            parameters.zeroGradients();
            JniUtils.setGradMode(gradMode);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        scope.close();
        splits.clear();
        manager.close();
        runtime.closed(this);
    }

    /** The number of native arrays this network holds (for leak tests). */
    int liveArrays() {
        return manager.getManagedArrays().size();
    }

    @Override
    public String toString() {
        return "DjlNetwork[" + spec.name() + " on " + deviceName + "]";
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** The forward pass; every intermediate goes into the scope. */
    private PtNDArray forward(PtNDArray input, boolean training) {
        return forward.forward(input, training);
    }

    /**
     * The forward pass reporting each named layer's output to {@code tap} (for probes in this package): the arrays
     * are valid until {@link #releaseStep()}; in evaluation mode unless {@code training}. Grad mode is left as the
     * caller set it.
     *
     * @param features {@code [batch, ...input]} values, row-major, on the host
     * @param batch    the number of samples
     * @param training whether to run in training mode (dropout, batch statistics)
     * @param tap      receives (layer name, output) for every named layer, nested ones included; may be null
     * @return the model's output, {@code [batch, ...output]}
     */
    PtNDArray forwardTapped(float[] features, int batch, boolean training, BiConsumer<String, PtNDArray> tap) {
        checkOpen();
        checkSampleSize(features.length / Math.max(1, batch), "batch");
        PtNDArray x = input(scope.add(Nd.upload(manager, features, new long[] {batch, inputSize}, device)));
        return forward.forward(x, training, tap);
    }

    /**
     * The forward pass in evaluation mode on input rows already on a device, {@code [batch, inputSize]} (moved to
     * this network's device if they are elsewhere), for a student's loss that this network teaches. The arrays
     * live until {@link #releaseStep()}; grad mode is left as the caller set it (off, for a teacher).
     */
    PtNDArray forwardRows(PtNDArray rows, BiConsumer<String, PtNDArray> tap) {
        checkOpen();
        PtNDArray here = rows.getDevice().equals(device) ? rows : scope.add(JniUtils.to(rows, DataType.FLOAT32, device));
        return forward.forward(input(here), false, tap);
    }

    /**
     * The forward pass in evaluation mode with each top-level op's output rewritten (for probes in this package);
     * the arrays live until {@link #releaseStep()}, grad mode is left as the caller set it.
     */
    PtNDArray forwardRewritten(float[] features, int batch, Forward.Rewrite rewrite) {
        checkOpen();
        checkSampleSize(features.length / Math.max(1, batch), "batch");
        PtNDArray x = input(scope.add(Nd.upload(manager, features, new long[] {batch, inputSize}, device)));
        return forward.forwardRewritten(x, rewrite);
    }

    /** The labels of {@code batch}, checked against the model's classes and positions (for probes in this package). */
    int[] checkedLabels(Batch batch) {
        checkLabelsPerSample(batch.labelsPerSample(), "batch");
        return checkLabels(batch.labels(), "batch");
    }

    /** Releases the temporaries of the last {@link #forwardTapped} call. */
    void releaseStep() {
        scope.close();
    }

    /** The network's parameters on the device (for probes in this package). */
    Parameters parameters() {
        return parameters;
    }

    /** Rows of {@code inputSize} values shaped as the model's input, {@code [batch, ...input]}. */
    private PtNDArray input(PtNDArray rows) {
        if (inputShape.length == 2) {
            return rows;
        }
        return scope.add(JniUtils.reshape(rows, inputShape));
    }

    private void requireClassifier(String what) {
        if (classes < 0) {
            throw new BonsaiException("engine djl cannot " + what + " model '" + spec.name() + "': cross-entropy needs"
                    + " a [classes] or [positions, classes] output but it gives " + spec.outputShape());
        }
    }

    /** Logits {@code [B, T, C]} as {@code [B·T, C]}; classifier logits {@code [B, C]} as they are. */
    private PtNDArray perPosition(PtNDArray logits) {
        return positions == 1 ? logits : scope.add(JniUtils.reshape(logits, new long[] {-1, classes}));
    }

    /** Labels {@code [B, T]} as {@code [B·T, 1]}; classifier labels {@code [B, 1]} as they are. */
    private PtNDArray labelColumn(PtNDArray labels) {
        return positions == 1 ? labels : scope.add(JniUtils.reshape(labels, new long[] {-1, 1}));
    }

    /** The rows {@code order} of {@code labels [n, T]}, as {@code [n, T]}, attached to {@code m}. */
    private PtNDArray shuffledLabels(PtNDArray labels, PtNDArray order, int n, PtNDManager m) {
        if (positions == 1) {
            try (PtNDArray flat = JniUtils.take(labels, order, m)) {
                return JniUtils.reshape(flat, new long[] {n, 1});
            }
        }
        try (PtNDArray column = JniUtils.reshape(order, new long[] {n, 1});
                PtNDArray index = JniUtils.broadcast(column, new ai.djl.ndarray.types.Shape(n, positions))) {
            return JniUtils.gather(labels, index, 0);
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

    /** Checks that a split kept on the host fits the model, as {@link #upload} does for one it uploads. */
    private void checkHostSplit(Split data) {
        checkSampleSize(data.sampleShape().size(), "split '" + data.name() + "'");
        checkLabelsPerSample(data.labelsPerSample(), "split '" + data.name() + "'");
        data.checkLabelsFit(classes, spec.name());
    }

    /**
     * The split on the device, uploaded once and cached by identity (splits are immutable). The features are
     * decoded a slice at a time, so a compact split's floats exist only in the device copy.
     */
    private DeviceSplit upload(Split data) {
        DeviceSplit cached = splits.get(data);
        if (cached != null) {
            return cached;
        }
        checkHostSplit(data);
        Iterator<DeviceSplit> eldest = splits.values().iterator();
        while (splits.size() >= CACHED_SPLITS && eldest.hasNext()) {
            DeviceSplit old = eldest.next();
            if (old != training) { // a listener may evaluate during training: keep the split being trained on
                old.close();
                eldest.remove();
            }
        }
        long start = System.nanoTime();
        int n = data.size();
        PtNDArray features = Nd.upload(manager, data, new long[] {n, inputSize}, device);
        PtNDArray labels = Nd.uploadLabels(manager, data, new long[] {n, positions}, device);
        DeviceSplit split = new DeviceSplit(features, labels);
        splits.put(data, split);
        LOG.debug("uploaded split '{}' ({} samples) to {} in {} ms", data.name(), n, deviceName,
                (System.nanoTime() - start) / 1_000_000);
        return split;
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
        return (z ^ (z >>> 31)) & Long.MAX_VALUE;
    }

    /** Global-norm gradient clipping on the device, as PyTorch's {@code clip_grad_norm_}. */
    private final class Clipper {
        private final PtNDArray maxNorm;
        private final PtNDArray epsilon;
        private final PtNDArray unit;
        private final int[][] axes;

        Clipper(double maxNorm, PtNDManager m) {
            this.maxNorm = Nd.scalar(m, maxNorm, DataType.FLOAT32, device);
            this.epsilon = Nd.scalar(m, 1e-6, DataType.FLOAT32, device);
            this.unit = Nd.scalar(m, 1, DataType.FLOAT32, device);
            this.axes = new int[parameters.size()][];
            for (int i = 0; i < axes.length; i++) {
                axes[i] = Nd.allAxes(parameters.value(i));
            }
        }

        void clip() {
            List<PtNDArray> norms = new ArrayList<>();
            for (int i = 0; i < parameters.size(); i++) {
                PtNDArray g = parameters.grad(i);
                if (g != null) {
                    parameters.maskGradient(i);
                    norms.add(scope.add(JniUtils.norm(g, 2, axes[i], false)));
                }
            }
            if (norms.isEmpty()) {
                return;
            }
            PtNDArray stacked = scope.add(JniUtils.stack(norms.toArray(new PtNDArray[0]), 0));
            PtNDArray total = scope.add(JniUtils.norm(stacked, 2, new int[] {0}, false));
            PtNDArray coefficient = scope.add(JniUtils.div(maxNorm, scope.add(JniUtils.add(total, epsilon))));
            PtNDArray clamped = scope.add(JniUtils.min(coefficient, unit));
            for (int i = 0; i < parameters.size(); i++) {
                PtNDArray g = parameters.grad(i);
                if (g != null) {
                    JniUtils.muli(g, clamped);
                }
            }
        }
    }

    /**
     * The max-norm constraint: each output unit's incoming weights (a row of every trained weight tensor, over all
     * axes but the first) scaled down in place to the bound where their L2 norm exceeds it. Pruned weights stay
     * +0 (a positive factor keeps them so).
     */
    private final class MaxNorm {
        private final PtNDArray bound;
        private final PtNDArray epsilon;
        private final PtNDArray unit;
        private final List<Row> rows = new ArrayList<>();

        /** A weight parameter and the axes of its rows (all but the first). */
        private record Row(int parameter, int[] axes) {
        }

        MaxNorm(double bound, PtNDManager m) {
            this.bound = Nd.scalar(m, bound, DataType.FLOAT32, device);
            this.epsilon = Nd.scalar(m, 1e-7, DataType.FLOAT32, device);
            this.unit = Nd.scalar(m, 1, DataType.FLOAT32, device);
            for (int i = 0; i < parameters.size(); i++) {
                int rank = parameters.spec(i).shape().rank();
                if (parameters.spec(i).role() == ParameterRole.WEIGHT && rank >= 2) {
                    rows.add(new Row(i, IntStream.range(1, rank).toArray()));
                }
            }
        }

        void apply() {
            for (Row row : rows) {
                if (parameters.grad(row.parameter()) == null) {
                    continue; // frozen: not updated, so not constrained either
                }
                PtNDArray w = parameters.value(row.parameter());
                PtNDArray norms = scope.add(JniUtils.norm(w, 2, row.axes(), true));
                PtNDArray factor = scope.add(JniUtils.min(
                        scope.add(JniUtils.div(bound, scope.add(JniUtils.add(norms, epsilon)))), unit));
                JniUtils.muli(w, factor);
            }
        }
    }

    /** A split on the device: features {@code [n, inputSize]} and labels {@code [n, positions]} (int64). */
    private record DeviceSplit(PtNDArray features, PtNDArray labels) implements AutoCloseable {
        @Override
        public void close() {
            features.close();
            labels.close();
        }
    }
}
