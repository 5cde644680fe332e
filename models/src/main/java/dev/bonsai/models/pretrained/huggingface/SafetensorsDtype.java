package dev.bonsai.models.pretrained.huggingface;

import dev.bonsai.models.pretrained.HalfFloat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * The floating-point element types of a safetensors file that Bonsai reads and writes, as the header's {@code dtype}
 * names them. Elements are little-endian. Reading widens to float32 exactly; writing F16 and BF16 rounds to nearest,
 * ties to even (F16 overflows to infinity, as PyTorch's {@code .half()} does).
 */
public enum SafetensorsDtype {
    /** IEEE 754 single precision. */
    F32(4),
    /** IEEE 754 half precision. */
    F16(2),
    /** bfloat16: the upper half of a float32. */
    BF16(2);

    private final int bytes;

    SafetensorsDtype(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The name {@code torch_dtype} uses in a config.json: {@code float32}, {@code float16}, {@code bfloat16}. */
    public String torchName() {
        return switch (this) {
            case F32 -> "float32";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
        };
    }

    /**
     * The dtype a header names, or an error saying which are read.
     *
     * @param name  the header's dtype string
     * @param where the file and tensor, for the message
     */
    public static SafetensorsDtype of(String name, String where) {
        for (SafetensorsDtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException(where + " has dtype " + name + "; Bonsai reads F32, F16 and BF16 tensors."
                + " Convert the checkpoint to one of these (for example with torch: model.to(torch.bfloat16))");
    }

    /** The dtype for a command-line or option value, case-insensitive ({@code f32}, {@code bf16}, {@code float16}…). */
    public static SafetensorsDtype parse(String value) {
        String v = value.trim().toUpperCase(Locale.ROOT);
        for (SafetensorsDtype d : values()) {
            if (d.name().equals(v) || d.torchName().toUpperCase(Locale.ROOT).equals(v)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown tensor type '" + value + "'; use F32, F16 or BF16");
    }

    /** Reads {@code count} elements from {@code source} (its position advances) into {@code target} at {@code at}. */
    public void decode(ByteBuffer source, float[] target, int at, int count) {
        ByteBuffer in = source.order(ByteOrder.LITTLE_ENDIAN);
        switch (this) {
            case F32 -> {
                in.asFloatBuffer().get(target, at, count);
                in.position(in.position() + 4 * count);
            }
            case F16, BF16 -> {
                // bulk copies into a small array, then widening: far faster than one getShort per element
                java.nio.ShortBuffer shorts = in.asShortBuffer();
                short[] chunk = new short[Math.min(count, 1 << 16)];
                for (int done = 0; done < count; done += chunk.length) {
                    int n = Math.min(chunk.length, count - done);
                    shorts.get(chunk, 0, n);
                    int base = at + done;
                    if (this == BF16) {
                        for (int i = 0; i < n; i++) {
                            target[base + i] = Float.intBitsToFloat((chunk[i] & 0xFFFF) << 16);
                        }
                    } else {
                        for (int i = 0; i < n; i++) {
                            target[base + i] = HalfFloat.toFloat(chunk[i]);
                        }
                    }
                }
                in.position(in.position() + 2 * count);
            }
        }
    }

    /** Writes {@code count} elements of {@code source} from {@code at} into {@code target} (its position advances). */
    public void encode(float[] source, int at, int count, ByteBuffer target) {
        ByteBuffer out = target.order(ByteOrder.LITTLE_ENDIAN);
        switch (this) {
            case F32 -> {
                out.asFloatBuffer().put(source, at, count);
                out.position(out.position() + 4 * count);
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    out.putShort(HalfFloat.fromFloat(source[at + i]));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    out.putShort(HalfFloat.bfloat16FromFloat(source[at + i]));
                }
            }
        }
    }
}
