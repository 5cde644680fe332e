package dev.bonsai.models.pretrained.gguf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds GGUF files byte by byte for tests, independently of the writer under test: raw metadata entries and
 * tensors with raw data, so a test can make any file, including broken ones.
 */
final class GgufBuilder {
    private final List<byte[]> entries = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<long[]> dims = new ArrayList<>();
    private final List<Integer> types = new ArrayList<>();
    private final List<byte[]> data = new ArrayList<>();
    private int version = 3;
    private int alignment = 32;

    GgufBuilder version(int v) {
        version = v;
        return this;
    }

    /** Sets the alignment used to lay out the data (also writes {@code general.alignment} when not 32). */
    GgufBuilder alignment(int a) {
        alignment = a;
        return u32("general.alignment", a);
    }

    GgufBuilder string(String key, String value) {
        Bytes b = new Bytes().str(key).i32(8).str(value);
        entries.add(b.done());
        return this;
    }

    GgufBuilder u32(String key, long value) {
        entries.add(new Bytes().str(key).i32(4).i32((int) value).done());
        return this;
    }

    GgufBuilder f32(String key, float value) {
        entries.add(new Bytes().str(key).i32(6).f32(value).done());
        return this;
    }

    GgufBuilder strings(String key, List<String> values) {
        Bytes b = new Bytes().str(key).i32(9).i32(8).i64(values.size());
        values.forEach(b::str);
        entries.add(b.done());
        return this;
    }

    GgufBuilder floats(String key, float[] values) {
        Bytes b = new Bytes().str(key).i32(9).i32(6).i64(values.length);
        for (float v : values) {
            b.f32(v);
        }
        entries.add(b.done());
        return this;
    }

    GgufBuilder ints(String key, int[] values) {
        Bytes b = new Bytes().str(key).i32(9).i32(5).i64(values.length);
        for (int v : values) {
            b.i32(v);
        }
        entries.add(b.done());
        return this;
    }

    /** A tensor with dimensions {@code ne} (innermost first), ggml type id {@code type} and raw data. */
    GgufBuilder tensor(String name, long[] ne, int type, byte[] bytes) {
        names.add(name);
        dims.add(ne.clone());
        types.add(type);
        data.add(bytes.clone());
        return this;
    }

    /** An F32 tensor of row-major {@code shape} holding {@code values}. */
    GgufBuilder f32Tensor(String name, int[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        long[] ne = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            ne[i] = shape[shape.length - 1 - i];
        }
        return tensor(name, ne, 0, b.array());
    }

    byte[] build() {
        Bytes out = new Bytes().raw("GGUF".getBytes(StandardCharsets.US_ASCII)).i32(version)
                .i64(names.size()).i64(entries.size());
        entries.forEach(out::raw);
        long offset = 0;
        for (int i = 0; i < names.size(); i++) {
            out.str(names.get(i)).i32(dims.get(i).length);
            for (long d : dims.get(i)) {
                out.i64(d);
            }
            out.i32(types.get(i)).i64(offset);
            offset = pad(offset + data.get(i).length);
        }
        out.padTo(alignment);
        for (byte[] d : data) {
            out.raw(d).padTo(alignment);
        }
        return out.done();
    }

    private long pad(long n) {
        return (n + alignment - 1) / alignment * alignment;
    }

    /** Little-endian byte output. */
    static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Bytes i32(int v) {
            return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        }

        Bytes i64(long v) {
            return raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }

        Bytes f32(float v) {
            return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v).array());
        }

        Bytes str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return i64(b.length).raw(b);
        }

        Bytes padTo(int alignment) {
            while (out.size() % alignment != 0) {
                out.write(0);
            }
            return this;
        }

        byte[] done() {
            return out.toByteArray();
        }
    }
}
