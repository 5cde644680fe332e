package dev.bonsai.models.pretrained.huggingface;

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
                            target[base + i] = halfToFloat(chunk[i]);
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
                    out.putShort(floatToHalf(source[at + i]));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    out.putShort(floatToBfloat16(source[at + i]));
                }
            }
        }
    }

    /** The float32 value of the IEEE half-precision bits {@code h}. */
    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign);
            }
            float value = mantissa * 0x1p-24f;
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** The IEEE half-precision bits nearest to {@code f}, ties to even; beyond the range, infinity. */
    static short floatToHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7FFFFF;
        if (exponent == 0xFF) {
            return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 | (mantissa >>> 13) : 0));
        }
        int e = exponent - 127 + 15;
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            // subnormal half: shift the mantissa with its implicit bit into place, rounding to nearest even
            int m = mantissa | 0x800000;
            int shift = 14 - e;
            int half = m >>> shift;
            int rest = m & ((1 << shift) - 1);
            int midpoint = 1 << (shift - 1);
            if (rest > midpoint || (rest == midpoint && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mantissa >>> 13);
        int rest = mantissa & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
            half++; // a carry into the exponent is the correct rounding, up to infinity
        }
        return (short) (sign | half);
    }

    /** The bfloat16 bits nearest to {@code f}, ties to even; NaN stays NaN. */
    static short floatToBfloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
