package dev.bonsai.models.pretrained.gguf;

import dev.bonsai.api.model.Shape;
import dev.bonsai.models.pretrained.HalfFloat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Writes a little-endian GGUF version 3 file: header, metadata (with {@code general.alignment}), tensor infos, and
 * each tensor's data at an offset aligned to {@link #ALIGNMENT} bytes, in F32 or F16.
 */
final class GgufWriter {
    /** The version written. */
    static final int VERSION = 3;
    /** The alignment of tensor data written (GGUF's default). */
    static final int ALIGNMENT = GgufHeaderReader.DEFAULT_ALIGNMENT;

    /**
     * One tensor to write.
     *
     * @param name  its GGUF name
     * @param shape its row-major shape
     * @param type  {@link GgmlType#F32} or {@link GgmlType#F16}
     * @param data  its elements, row-major
     */
    record Entry(String name, Shape shape, GgmlType type, float[] data) {
        Entry {
            if (type != GgmlType.F32 && type != GgmlType.F16) {
                throw new IllegalArgumentException("this writer stores F32 and F16 tensors, not " + type);
            }
            if (data.length != shape.size()) {
                throw new IllegalArgumentException("tensor '" + name + "' of shape " + shape + " has " + data.length
                        + " elements");
            }
        }

        long bytes() {
            return (long) data.length * type.blockBytes();
        }
    }

    private final FileChannel out;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private long written;

    private GgufWriter(FileChannel out) {
        this.out = out;
    }

    /** Writes {@code metadata} and {@code tensors} to {@code file}, replacing its content. */
    static void write(Path file, Map<String, GgufValue> metadata, List<Entry> tensors) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            new GgufWriter(channel).file(metadata, tensors);
        }
    }

    private void file(Map<String, GgufValue> metadata, List<Entry> tensors) throws IOException {
        putInt(GgufHeaderReader.MAGIC);
        putInt(VERSION);
        putLong(tensors.size());
        putLong(metadata.size() + 1L);
        string(GgufHeaderReader.ALIGNMENT_KEY);
        putInt(GgufValueType.UINT32.id());
        putInt(ALIGNMENT);
        for (Map.Entry<String, GgufValue> e : metadata.entrySet()) {
            if (e.getKey().equals(GgufHeaderReader.ALIGNMENT_KEY)) {
                throw new IllegalArgumentException("the writer sets '" + GgufHeaderReader.ALIGNMENT_KEY + "' itself");
            }
            string(e.getKey());
            value(e.getValue());
        }
        long offset = 0;
        for (Entry t : tensors) {
            string(t.name());
            int[] dims = t.shape().dims();
            putInt(dims.length);
            for (int i = dims.length - 1; i >= 0; i--) {
                putLong(dims[i]);
            }
            putInt(t.type().id());
            putLong(offset);
            offset = align(offset + t.bytes());
        }
        pad();
        for (Entry t : tensors) {
            data(t);
            pad();
        }
        flush();
    }

    private void value(GgufValue v) throws IOException {
        putInt(v.type().id());
        if (v.type() == GgufValueType.ARRAY) {
            List<?> list = (List<?>) v.value();
            putInt(v.elementType().id());
            putLong(list.size());
            for (Object o : list) {
                scalar(v.elementType(), o);
            }
        } else {
            scalar(v.type(), v.value());
        }
    }

    private void scalar(GgufValueType type, Object o) throws IOException {
        switch (type) {
            case UINT8, INT8 -> put(1).put(((Long) o).byteValue());
            case UINT16, INT16 -> put(2).putShort(((Long) o).shortValue());
            case UINT32, INT32 -> put(4).putInt(((Long) o).intValue());
            case UINT64, INT64 -> put(8).putLong((Long) o);
            case FLOAT32 -> put(4).putFloat((Float) o);
            case FLOAT64 -> put(8).putDouble((Double) o);
            case BOOL -> put(1).put((byte) ((Boolean) o ? 1 : 0));
            case STRING -> string((String) o);
            default -> throw new IllegalArgumentException("cannot write a value of type " + type);
        }
    }

    private void data(Entry t) throws IOException {
        float[] data = t.data();
        for (float v : data) {
            if (t.type() == GgmlType.F32) {
                put(4).putFloat(v);
            } else {
                put(2).putShort(HalfFloat.fromFloat(v));
            }
        }
    }

    private void string(String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        putLong(bytes.length);
        for (byte b : bytes) {
            put(1).put(b);
        }
    }

    private void pad() throws IOException {
        while (written % ALIGNMENT != 0) {
            put(1).put((byte) 0);
        }
    }

    private void putInt(int v) throws IOException {
        put(4).putInt(v);
    }

    private void putLong(long v) throws IOException {
        put(8).putLong(v);
    }

    /** The buffer, with room for {@code bytes} more; counts them as written. */
    private ByteBuffer put(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            flush();
        }
        written += bytes;
        return buffer;
    }

    private void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
        buffer.clear();
    }

    private static long align(long position) {
        return (position + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }
}
