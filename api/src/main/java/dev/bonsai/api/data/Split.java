package dev.bonsai.api.data;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A labelled set of samples in host memory: features as {@code samples × sampleShape.size()} values, row-major,
 * labels as ints. Splits are immutable: nothing writes to their arrays after construction.
 *
 * <p>Features are held as floats (the public constructors), or compactly: as one byte per value decoded through a
 * 256-entry table per channel ({@link #ofBytes}), which is how image datasets hold their pixels (a quarter of the
 * memory), or, for language models, as windows over one copy of a token stream ({@link #ofTokenWindows}), features
 * and labels alike. Every form gives identical values through every accessor. Read a batch at a time with
 * {@link #batch}, {@link #gather}, {@link #copyRows}, {@link #gatherLabels} or {@link #copyLabelRows};
 * {@link #features()} and {@link #labels()} build the whole array from a compact form (4 bytes per value) and keep
 * it, so hot paths and engines should not call them.
 *
 * <p>A classifier's sample has one label. A sequence model's sample has one label per position
 * ({@link #labelsPerSample()} of them, for example the next token at each of T positions of a language model);
 * token ids are stored as floats in the features, which is exact for vocabularies below 2²⁴.
 */
public final class Split {
    private final String name;
    private final Shape sampleShape;
    private final FeatureRows rows;
    private final LabelRows labels;
    private final int sampleSize;
    private final int labelsPerSample;
    private volatile float[] materialised;
    private volatile int[] materialisedLabels;
    private volatile int[] labelRange;

    /**
     * A split with one label per sample.
     *
     * @param name        for messages, for example {@code train}
     * @param sampleShape one sample's shape
     * @param features    {@code labels.length × sampleShape.size()} values, row-major
     * @param labels      one class index per sample
     */
    public Split(String name, Shape sampleShape, float[] features, int[] labels) {
        this(name, sampleShape, features, labels, 1);
    }

    /**
     * A split with {@code labelsPerSample} labels per sample.
     *
     * @param name            for messages, for example {@code train}
     * @param sampleShape     one sample's shape
     * @param features        {@code samples × sampleShape.size()} values, row-major
     * @param labels          {@code samples × labelsPerSample} class indices, row-major
     * @param labelsPerSample labels per sample: 1 for a classifier, T for a sequence of T positions
     */
    public Split(String name, Shape sampleShape, float[] features, int[] labels, int labelsPerSample) {
        this(name, sampleShape, new FloatRows(Objects.requireNonNull(features, "features")),
                new IntLabels(Objects.requireNonNull(labels, "labels")), labelsPerSample);
    }

    private Split(String name, Shape sampleShape, FeatureRows rows, LabelRows labels, int labelsPerSample) {
        this.name = Objects.requireNonNull(name);
        this.sampleShape = Objects.requireNonNull(sampleShape);
        this.rows = rows;
        this.labels = labels;
        this.sampleSize = Math.toIntExact(sampleShape.size());
        this.labelsPerSample = labelsPerSample;
        int count = labels.labelCount();
        if (labelsPerSample <= 0 || count % labelsPerSample != 0) {
            throw new IllegalArgumentException("split '" + name + "' has " + count + " labels, not a multiple of "
                    + labelsPerSample + " labels per sample");
        }
        if ((long) (count / labelsPerSample) * sampleSize != rows.length()) {
            throw new IllegalArgumentException("split '" + name + "' has " + count / labelsPerSample
                    + " samples' labels but " + rows.length() + " feature values for samples of shape " + sampleShape);
        }
    }

    /**
     * A split whose feature values are bytes, one per value, decoded through a table per channel: the value at
     * position {@code p} of a sample is {@code tables[c][values[i] & 0xFF]} with channel
     * {@code c = p / (sampleShape.size() / tables.length)}, that is channels are consecutive equal blocks of a sample
     * (the {@code C} of a {@code [C, H, W]} image, or one table for all values). One label per sample.
     *
     * @param name        for messages, for example {@code train}
     * @param sampleShape one sample's shape
     * @param values      {@code labels.length × sampleShape.size()} bytes, row-major; kept, not copied
     * @param labels      one class index per sample
     * @param tables      one 256-entry table per channel: a byte {@code b}'s value in channel {@code c} is
     *                    {@code tables[c][b & 0xFF]}; copied
     * @return the split
     * @throws IllegalArgumentException when a table does not have 256 entries, the number of tables does not divide
     *                                  the sample size, or the counts disagree
     */
    public static Split ofBytes(String name, Shape sampleShape, byte[] values, int[] labels, float[][] tables) {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(tables, "tables");
        long size = sampleShape.size();
        if (tables.length == 0 || size == 0 || size % tables.length != 0) {
            throw new IllegalArgumentException("split '" + name + "': " + tables.length
                    + " channel tables do not divide samples of shape " + sampleShape
                    + " into equal channels; give one table, or one per channel (the shape's first dimension)");
        }
        float[][] copies = new float[tables.length][];
        for (int c = 0; c < tables.length; c++) {
            if (tables[c] == null || tables[c].length != 256) {
                throw new IllegalArgumentException("split '" + name + "': the table of channel " + c + " has "
                        + (tables[c] == null ? "no" : tables[c].length) + " entries, expected 256 (one per byte value)");
            }
            copies[c] = tables[c].clone();
        }
        return new Split(name, sampleShape, new ByteRows(values, copies, (int) (size / tables.length)),
                new IntLabels(Objects.requireNonNull(labels, "labels")), 1);
    }

    /**
     * Language-model samples held as views of one token stream: sample {@code w} is the {@code context} tokens
     * from position {@code w × stride} (features of shape {@code [context]}, token ids as floats), labelled at each
     * position with the token that follows it ({@code context} labels per sample). There are
     * {@code (tokens.length − context − 1) / stride + 1} samples, the last ending at the last token that has a
     * successor. The stream is copied once, as 2 bytes per token when every id is in {@code 0..65535} (otherwise
     * 4), however much the windows overlap: windows as floats and ints would take {@code 8 × context / stride}
     * bytes per token.
     *
     * @param name    for messages, for example {@code train}
     * @param tokens  the token ids, non-negative
     * @param context tokens per sample, positive
     * @param stride  tokens between the starts of consecutive samples, positive
     * @return the split
     * @throws IllegalArgumentException when context or stride is not positive, there are fewer than
     *                                  {@code context + 1} tokens, or the windows hold {@code 2³¹} values or more
     */
    public static Split ofTokenWindows(String name, int[] tokens, int context, int stride) {
        Objects.requireNonNull(tokens, "tokens");
        if (context < 1 || stride < 1) {
            throw new IllegalArgumentException("split '" + name + "': context and stride must be positive, got "
                    + context + " and " + stride);
        }
        if (tokens.length < context + 1) {
            throw new IllegalArgumentException("split '" + name + "' has " + tokens.length + " tokens, but a sample of "
                    + context + " tokens needs at least " + (context + 1));
        }
        int windows = (tokens.length - context - 1) / stride + 1;
        if ((long) windows * context > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("split '" + name + "': " + windows + " windows of " + context
                    + " tokens are too many; use a larger stride");
        }
        TokenWindows view = TokenWindows.of(tokens, context, stride, windows);
        return new Split(name, Shape.of(context), view, view, context);
    }

    /** The split's name. */
    public String name() {
        return name;
    }

    /** One sample's shape. */
    public Shape sampleShape() {
        return sampleShape;
    }

    /** The number of samples. */
    public int size() {
        return labels.labelCount() / labelsPerSample;
    }

    /** Labels per sample: 1 for a classifier, T for a sequence of T positions. */
    public int labelsPerSample() {
        return labelsPerSample;
    }

    /**
     * Whether the split is held compactly rather than as a float per feature value and an int per label: image
     * bytes ({@link #ofBytes}) or windows of a token stream ({@link #ofTokenWindows}).
     */
    public boolean isCompact() {
        return !(rows instanceof FloatRows);
    }

    /**
     * The bytes of heap the features and labels occupy: 4 per float value and per int label; 1 per value of a
     * {@linkplain #ofBytes byte split}; 2 (or 4) per token of a {@linkplain #ofTokenWindows token stream}, which
     * holds features and labels together; plus 4 per value or label that {@link #features()} or {@link #labels()}
     * has materialised from a compact form.
     */
    public long heldBytes() {
        long held = rows.heldBytes() + (labels == rows ? 0 : labels.labelBytes());
        float[] m = materialised;
        if (m != null && !(rows instanceof FloatRows)) {
            held += 4L * m.length;
        }
        int[] l = materialisedLabels;
        if (l != null && !(labels instanceof IntLabels)) {
            held += 4L * l.length;
        }
        return held;
    }

    /**
     * Every feature value as one row-major float array (not a copy on later calls): read it, never write it.
     *
     * <p>For a float split this is the array it was made with. For a {@linkplain #isCompact compact} split the first
     * call decodes the whole split into a new array of 4 bytes per value (for CIFAR-10's training set 600 MB against
     * 150 MB of bytes) and keeps it for the split's life; prefer {@link #batch}, {@link #gather} or {@link #copyRows}.
     */
    public float[] features() {
        float[] m = materialised;
        if (m == null) {
            synchronized (this) {
                m = materialised;
                if (m == null) {
                    m = rows.floats();
                    materialised = m;
                }
            }
        }
        return m;
    }

    /**
     * Every label as one row-major array (not a copy on later calls): read it, never write it. For a
     * {@linkplain #ofTokenWindows token-window split} the first call builds the array (4 bytes per label) and keeps
     * it; prefer {@link #label}, {@link #gatherLabels} or {@link #copyLabelRows}.
     */
    public int[] labels() {
        int[] l = materialisedLabels;
        if (l == null) {
            synchronized (this) {
                l = materialisedLabels;
                if (l == null) {
                    l = labels.ints();
                    materialisedLabels = l;
                }
            }
        }
        return l;
    }

    /**
     * One label.
     *
     * @param sample   the sample, {@code 0..size()-1}
     * @param position the label's position in the sample, {@code 0..labelsPerSample()-1}
     * @return its class index
     * @throws IndexOutOfBoundsException when either is out of range
     */
    public int label(int sample, int position) {
        Objects.checkIndex(sample, size());
        Objects.checkIndex(position, labelsPerSample);
        return labels.label(sample * labelsPerSample + position);
    }

    /**
     * Writes the labels of samples {@code order[from..to)} into {@code dst}, one sample's {@link #labelsPerSample()}
     * after another, starting at {@code dstOffset}.
     *
     * @throws IndexOutOfBoundsException when {@code from..to} is not within {@code order}, a sample index is not in
     *                                   the split, or {@code dst} is too short
     */
    public void gatherLabels(int[] order, int from, int to, int[] dst, int dstOffset) {
        Objects.checkFromToIndex(from, to, order.length);
        Objects.checkFromIndexSize(dstOffset, (to - from) * labelsPerSample, dst.length);
        int n = size();
        for (int i = from, out = dstOffset; i < to; i++, out += labelsPerSample) {
            int first = Objects.checkIndex(order[i], n) * labelsPerSample;
            labels.copyLabels(first, first + labelsPerSample, dst, out);
        }
    }

    /**
     * Writes the labels of samples {@code from..to} (in order) into {@code dst} at {@code dstOffset}.
     *
     * @throws IndexOutOfBoundsException when {@code from..to} is not within the split or {@code dst} is too short
     */
    public void copyLabelRows(int from, int to, int[] dst, int dstOffset) {
        Objects.checkFromToIndex(from, to, size());
        Objects.checkFromIndexSize(dstOffset, (to - from) * labelsPerSample, dst.length);
        labels.copyLabels(from * labelsPerSample, to * labelsPerSample, dst, dstOffset);
    }

    /** The smallest label, or 0 for an empty split (computed once). */
    public int minLabel() {
        return labelRange()[0];
    }

    /** The largest label, or -1 for an empty split (computed once). */
    public int maxLabel() {
        return labelRange()[1];
    }

    /**
     * Checks that every label is a class of a model with {@code classes} classes, by the label range (computed once,
     * so engines may call it on every use of the split).
     *
     * @param classes the model's number of classes
     * @param model   the model's name, for the message
     * @throws BonsaiException naming the split, the offending label and the model
     */
    public void checkLabelsFit(int classes, String model) {
        if (minLabel() < 0 || maxLabel() >= classes) {
            int bad = minLabel() < 0 ? minLabel() : maxLabel();
            throw new BonsaiException("the split '" + name + "' has label " + bad + " but model '" + model + "' has "
                    + classes + " classes");
        }
    }

    private int[] labelRange() {
        int[] range = labelRange;
        if (range == null) {
            int min = Integer.MAX_VALUE;
            int max = Integer.MIN_VALUE;
            for (int i = 0, count = labels.labelCount(); i < count; i++) {
                int l = labels.label(i);
                min = Math.min(min, l);
                max = Math.max(max, l);
            }
            range = min > max ? new int[] {0, -1} : new int[] {min, max};
            labelRange = range;
        }
        return range;
    }

    /**
     * One feature value.
     *
     * @param sample   the sample, {@code 0..size()-1}
     * @param position the position in the sample, {@code 0..sampleShape().size()-1}, row-major
     * @return its value
     * @throws IndexOutOfBoundsException when either is out of range
     */
    public float value(int sample, int position) {
        Objects.checkIndex(sample, size());
        Objects.checkIndex(position, sampleSize);
        return rows.value(sample * sampleSize + position);
    }

    /**
     * Writes the features of samples {@code order[from..to)} as floats into {@code dst}, one sample after another,
     * starting at {@code dstOffset}.
     *
     * @throws IndexOutOfBoundsException when {@code from..to} is not within {@code order}, a sample index is not in
     *                                   the split, or {@code dst} is too short
     */
    public void gather(int[] order, int from, int to, float[] dst, int dstOffset) {
        Objects.checkFromToIndex(from, to, order.length);
        Objects.checkFromIndexSize(dstOffset, (to - from) * sampleSize, dst.length);
        int n = size();
        for (int i = from, out = dstOffset; i < to; i++, out += sampleSize) {
            rows.copyRow(Objects.checkIndex(order[i], n), sampleSize, dst, out);
        }
    }

    /**
     * Writes the features of samples {@code from..to} (in order) as floats into {@code dst} at {@code dstOffset}.
     *
     * @throws IndexOutOfBoundsException when {@code from..to} is not within the split or {@code dst} is too short
     */
    public void copyRows(int from, int to, float[] dst, int dstOffset) {
        Objects.checkFromToIndex(from, to, size());
        Objects.checkFromIndexSize(dstOffset, (to - from) * sampleSize, dst.length);
        for (int s = from, out = dstOffset; s < to; s++, out += sampleSize) {
            rows.copyRow(s, sampleSize, dst, out);
        }
    }

    /**
     * A split of the same samples with other labels, sharing this split's features (no copy).
     *
     * @param newName         its name
     * @param newLabels       {@code size() × newLabelsPerSample} class indices, row-major
     * @param newLabelsPerSample labels per sample
     * @return the split
     * @throws IllegalArgumentException when the label count does not match the samples
     */
    public Split withLabels(String newName, int[] newLabels, int newLabelsPerSample) {
        return new Split(newName, sampleShape, rows, new IntLabels(Objects.requireNonNull(newLabels, "labels")),
                newLabelsPerSample);
    }

    /**
     * A new split of the samples at {@code indices}, in that order; a compact split's subset is compact (a
     * token-window subset holds each chosen window and its targets once).
     */
    public Split subset(String newName, int[] indices) {
        int n = size();
        for (int index : indices) {
            Objects.checkIndex(index, n);
        }
        if (rows instanceof TokenWindows windows && labels == rows) {
            TokenWindows chosen = windows.select(indices, sampleSize);
            return new Split(newName, sampleShape, chosen, chosen, labelsPerSample);
        }
        int[] l = new int[indices.length * labelsPerSample];
        gatherLabels(indices, 0, indices.length, l, 0);
        return new Split(newName, sampleShape, rows.select(indices, sampleSize), new IntLabels(l), labelsPerSample);
    }

    /** The batch of samples {@code order[from..to)}. */
    public Batch batch(int[] order, int from, int to) {
        int n = to - from;
        float[] f = new float[n * sampleSize];
        gather(order, from, to, f, 0);
        int[] l = new int[n * labelsPerSample];
        gatherLabels(order, from, to, l, 0);
        return new Batch(new Tensor(sampleShape.prepend(n), f), l);
    }

    /**
     * The whole split in order, in consecutive batches of {@code size} samples (the last one shorter when
     * {@code size} does not divide the split).
     *
     * @throws IllegalArgumentException when {@code size} is not positive
     */
    public List<Batch> batchesInOrder(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("the batch size must be positive, got " + size);
        }
        int n = size();
        List<Batch> out = new ArrayList<>();
        for (int from = 0; from < n; from += size) {
            int to = Math.min(n, from + size);
            float[] f = new float[(to - from) * sampleSize];
            copyRows(from, to, f, 0);
            int[] l = new int[(to - from) * labelsPerSample];
            copyLabelRows(from, to, l, 0);
            out.add(new Batch(new Tensor(sampleShape.prepend(to - from), f), l));
        }
        return out;
    }

    @Override
    public String toString() {
        return "Split[" + name + ", " + size() + " × " + sampleShape + "]";
    }
}
