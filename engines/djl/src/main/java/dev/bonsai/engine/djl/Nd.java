package dev.bonsai.engine.djl;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.bonsai.api.data.Split;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Host ↔ device transfers without intermediate copies, and small helpers around DJL's PyTorch {@code JniUtils}.
 *
 * <p>Uploads allocate a PyTorch-owned CPU tensor and write the host array straight into its memory (through a
 * direct buffer view), then move it to the device if that is not the CPU. Downloads read a CPU tensor's memory the
 * same way.
 */
final class Nd {
    /** Elements written through one buffer view; keeps every view below 2 GiB. */
    private static final long CHUNK = 1L << 28;

    private Nd() {
    }

    /** A float tensor of {@code shape} on {@code device} holding {@code data}, attached to {@code manager}. */
    static PtNDArray upload(PtNDManager manager, float[] data, long[] shape, Device device) {
        PtNDArray host = JniUtils.createEmptyNdArray(manager, new Shape(data.length), DataType.FLOAT32, Device.cpu(),
                SparseFormat.DENSE);
        for (long from = 0; from < data.length; from += CHUNK) {
            int to = (int) Math.min(data.length, from + CHUNK);
            try (PtNDArray part = JniUtils.slice(host, 0, from, to, 1)) {
                JniUtils.getByteBuffer(part, true).asFloatBuffer().put(data, (int) from, to - (int) from);
            }
        }
        return shaped(host, shape, device);
    }

    /** Feature values decoded per slice by {@link #upload(PtNDManager, Split, long[], Device)}: a 4 MB buffer. */
    private static final int ROWS_CHUNK = 1 << 20;

    /**
     * A float tensor of {@code shape} on {@code device} holding a split's features, attached to {@code manager}.
     * The rows are decoded a slice at a time into a small buffer and written straight into the tensor, so a compact
     * split is never materialised as one float array on the Java heap.
     */
    static PtNDArray upload(PtNDManager manager, Split split, long[] shape, Device device) {
        int rowSize = Math.toIntExact(split.sampleShape().size());
        int n = split.size();
        PtNDArray host = JniUtils.createEmptyNdArray(manager, new Shape((long) n * rowSize), DataType.FLOAT32,
                Device.cpu(), SparseFormat.DENSE);
        int rowsPerSlice = Math.max(1, ROWS_CHUNK / rowSize);
        float[] buffer = new float[Math.min(n, rowsPerSlice) * rowSize];
        for (int from = 0; from < n; from += rowsPerSlice) {
            int to = Math.min(n, from + rowsPerSlice);
            split.copyRows(from, to, buffer, 0);
            try (PtNDArray part = JniUtils.slice(host, 0, (long) from * rowSize, (long) to * rowSize, 1)) {
                JniUtils.getByteBuffer(part, true).asFloatBuffer().put(buffer, 0, (to - from) * rowSize);
            }
        }
        return shaped(host, shape, device);
    }

    /**
     * An int64 tensor of {@code shape} on {@code device} holding a split's labels, attached to {@code manager},
     * copied a slice at a time so that labels held as token windows are never materialised on the Java heap.
     */
    static PtNDArray uploadLabels(PtNDManager manager, Split split, long[] shape, Device device) {
        int perSample = split.labelsPerSample();
        int n = split.size();
        PtNDArray host = JniUtils.createEmptyNdArray(manager, new Shape((long) n * perSample), DataType.INT64,
                Device.cpu(), SparseFormat.DENSE);
        int rowsPerSlice = Math.max(1, ROWS_CHUNK / perSample);
        int[] buffer = new int[Math.min(n, rowsPerSlice) * perSample];
        for (int from = 0; from < n; from += rowsPerSlice) {
            int to = Math.min(n, from + rowsPerSlice);
            split.copyLabelRows(from, to, buffer, 0);
            try (PtNDArray part = JniUtils.slice(host, 0, (long) from * perSample, (long) to * perSample, 1)) {
                java.nio.LongBuffer view = JniUtils.getByteBuffer(part, true).asLongBuffer();
                for (int i = 0, count = (to - from) * perSample; i < count; i++) {
                    view.put(buffer[i]);
                }
            }
        }
        return shaped(host, shape, device);
    }

    /** An int64 tensor of {@code shape} on {@code device} holding {@code data}, attached to {@code manager}. */
    static PtNDArray uploadLongs(PtNDManager manager, int[] data, long[] shape, Device device) {
        PtNDArray host = JniUtils.createEmptyNdArray(manager, new Shape(data.length), DataType.INT64, Device.cpu(),
                SparseFormat.DENSE);
        for (long from = 0; from < data.length; from += CHUNK) {
            int to = (int) Math.min(data.length, from + CHUNK);
            try (PtNDArray part = JniUtils.slice(host, 0, from, to, 1)) {
                java.nio.LongBuffer buffer = JniUtils.getByteBuffer(part, true).asLongBuffer();
                for (int i = (int) from; i < to; i++) {
                    buffer.put(data[i]);
                }
            }
        }
        return shaped(host, shape, device);
    }

    /** A boolean tensor of {@code shape} on {@code device}, true where {@code values} is. */
    static PtNDArray uploadBooleans(PtNDManager manager, boolean[] values, long[] shape, Device device) {
        PtNDArray host = JniUtils.createEmptyNdArray(manager, new Shape(values.length), DataType.BOOLEAN, Device.cpu(),
                SparseFormat.DENSE);
        for (long from = 0; from < values.length; from += CHUNK) {
            int to = (int) Math.min(values.length, from + CHUNK);
            try (PtNDArray part = JniUtils.slice(host, 0, from, to, 1)) {
                ByteBuffer buffer = JniUtils.getByteBuffer(part, true);
                for (int i = (int) from; i < to; i++) {
                    buffer.put(values[i] ? (byte) 1 : (byte) 0);
                }
            }
        }
        return shaped(host, shape, device);
    }

    private static PtNDArray shaped(PtNDArray flat, long[] shape, Device device) {
        PtNDArray host = flat;
        if (shape.length != 1 || shape[0] != flat.getShape().get(0)) {
            host = JniUtils.reshape(flat, shape);
            flat.close();
        }
        if (device.equals(Device.cpu())) {
            return host;
        }
        PtNDArray moved = JniUtils.to(host, host.getDataType(), device);
        host.close();
        return moved;
    }

    /** A 0-dimensional tensor holding {@code value}. */
    static PtNDArray scalar(PtNDManager manager, double value, DataType type, Device device) {
        return JniUtils.full(manager, new Shape(), value, type, device, SparseFormat.DENSE);
    }

    /** The elements of a float tensor, row-major. */
    static float[] download(PtNDArray array) {
        long size = array.getShape().size();
        float[] out = new float[Math.toIntExact(size)];
        onHost(array, host -> {
            for (long from = 0; from < size; from += CHUNK) {
                int to = (int) Math.min(size, from + CHUNK);
                try (PtNDArray flat = JniUtils.reshape(host, new long[] {size});
                        PtNDArray part = JniUtils.slice(flat, 0, from, to, 1)) {
                    JniUtils.getByteBuffer(part, true).asFloatBuffer().get(out, (int) from, to - (int) from);
                }
            }
        });
        return out;
    }

    /** The elements of a tensor of any numeric type as doubles, row-major (for counts beyond float's 2²⁴). */
    static double[] downloadDoubles(PtNDArray array) {
        long size = array.getShape().size();
        double[] out = new double[Math.toIntExact(size)];
        onHost(array, host -> {
            try (PtNDArray flat = JniUtils.reshape(host, new long[] {size});
                    PtNDArray d = JniUtils.to(flat, DataType.FLOAT64, Device.cpu());
                    PtNDArray dense = JniUtils.clone(d)) {
                JniUtils.getByteBuffer(dense, true).asDoubleBuffer().get(out);
            }
        });
        return out;
    }

    /** The value of a 0-dimensional (or one-element) tensor of any numeric type. */
    static double value(PtNDArray array) {
        double[] out = new double[1];
        onHost(array, host -> {
            try (PtNDArray d = JniUtils.to(host, DataType.FLOAT64, Device.cpu())) {
                out[0] = JniUtils.getByteBuffer(d, true).asDoubleBuffer().get(0);
            }
        });
        return out[0];
    }

    private interface HostUse {
        void use(PtNDArray host);
    }

    /** Runs {@code use} with a contiguous CPU copy or view of {@code array}, releasing what it made. */
    private static void onHost(PtNDArray array, HostUse use) {
        if (array.getDevice().equals(Device.cpu())) {
            use.use(array);
            return;
        }
        // JniUtils.to attaches the copy to a new CPU sub-manager of the array's manager: close both.
        PtNDArray host = JniUtils.to(array, array.getDataType(), Device.cpu());
        PtNDManager sub = host.getManager();
        try {
            use.use(host);
        } finally {
            host.close();
            if (sub != array.getManager()) {
                sub.close();
            }
        }
    }

    /** The axes {@code 0..rank-1}. */
    static int[] allAxes(PtNDArray array) {
        int rank = array.getShape().dimension();
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) {
            axes[i] = i;
        }
        return axes;
    }

    /**
     * The temporaries of one step: every array registered is closed, newest first, when the scope closes. One
     * instance is reused step after step, so a step allocates no Java collection.
     */
    static final class Scope implements AutoCloseable {
        private final List<PtNDArray> arrays = new ArrayList<>();

        /** Registers {@code array} for closing and returns it. */
        PtNDArray add(PtNDArray array) {
            arrays.add(array);
            return array;
        }

        @Override
        public void close() {
            for (int i = arrays.size() - 1; i >= 0; i--) {
                arrays.get(i).close();
            }
            arrays.clear();
        }
    }
}
