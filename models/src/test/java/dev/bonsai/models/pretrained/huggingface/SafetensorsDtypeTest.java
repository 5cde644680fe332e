package dev.bonsai.models.pretrained.huggingface;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.models.pretrained.HalfFloat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Half and bfloat16 conversions against their definitions: exact values, rounding to nearest even, round trips. */
class SafetensorsDtypeTest {

    /** The value of half-precision bits from the definition: (−1)^s · 2^(e−15) · (1 + m/1024), subnormals 2^−14·m/1024. */
    private static double halfValue(int bits) {
        int s = bits >>> 15;
        int e = (bits >>> 10) & 0x1F;
        int m = bits & 0x3FF;
        double v = e == 0 ? Math.scalb(m / 1024.0, -14) : Math.scalb(1 + m / 1024.0, e - 15);
        return s == 1 ? -v : v;
    }

    @Test
    void everyFiniteHalfWidensExactlyAndNarrowsBack() {
        for (int bits = 0; bits < 0x10000; bits++) {
            if (((bits >>> 10) & 0x1F) == 0x1F) {
                continue;
            }
            float f = HalfFloat.toFloat((short) bits);
            assertThat((double) f).as("half %04x", bits).isEqualTo(halfValue(bits));
            assertThat(HalfFloat.fromFloat(f) & 0xFFFF).as("half %04x back", bits).isEqualTo(bits);
        }
        assertThat(HalfFloat.toFloat((short) 0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(HalfFloat.toFloat((short) 0x7E00)).isNaN();
    }

    @Test
    void halvesRoundToNearestTiesToEven() {
        // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: the even neighbour is 1
        assertThat(HalfFloat.fromFloat(1f + 0x1p-11f)).isEqualTo((short) 0x3C00);
        // 1 + 3·2^-11 lies halfway between 1 + 2^-10 (odd) and 1 + 2^-9 (even)
        assertThat(HalfFloat.fromFloat(1f + 3 * 0x1p-11f)).isEqualTo((short) 0x3C02);
        assertThat(HalfFloat.fromFloat(70000f)).isEqualTo((short) 0x7C00);
        assertThat(HalfFloat.fromFloat(-0x1p-26f)).isEqualTo((short) 0x8000);
        Random random = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            float f = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(9) - 6));
            double nearest = halfValue(HalfFloat.fromFloat(f) & 0xFFFF);
            // no half-precision value is closer: check both neighbours of the chosen one
            int bits = HalfFloat.fromFloat(f) & 0xFFFF;
            for (int neighbour : new int[] {bits - 1, bits + 1}) {
                if ((neighbour & 0x7FFF) < 0x7C00 && (neighbour & 0x8000) == (bits & 0x8000)) {
                    assertThat(Math.abs(halfValue(neighbour) - f)).as("%s", f)
                            .isGreaterThanOrEqualTo(Math.abs(nearest - f));
                }
            }
        }
    }

    @Test
    void bfloat16KeepsTheUpperHalfRoundedToNearestEven() {
        assertThat(HalfFloat.bfloat16FromFloat(1f)).isEqualTo((short) 0x3F80);
        // 1 + 2^-8 is halfway between 1 (even) and 1 + 2^-7
        assertThat(HalfFloat.bfloat16FromFloat(1f + 0x1p-8f)).isEqualTo((short) 0x3F80);
        assertThat(HalfFloat.bfloat16FromFloat(1f + 3 * 0x1p-8f)).isEqualTo((short) 0x3F82);
        assertThat(HalfFloat.bfloat16FromFloat(1f + 0x1p-8f + 0x1p-20f)).isEqualTo((short) 0x3F81);
        float nan = Float.intBitsToFloat(0x7F800001);
        ByteBuffer b = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN);
        SafetensorsDtype.BF16.encode(new float[] {nan}, 0, 1, b);
        float[] back = new float[1];
        SafetensorsDtype.BF16.decode(b.flip(), back, 0, 1);
        assertThat(back[0]).isNaN();
    }

    @Test
    void encodeAndDecodeAreLittleEndianAndInverse() {
        float[] values = {0.5f, -2f, 3.140625f, 65504f};
        for (SafetensorsDtype d : SafetensorsDtype.values()) {
            ByteBuffer b = ByteBuffer.allocate(values.length * d.bytes());
            d.encode(values, 0, values.length, b);
            assertThat(b.position()).isEqualTo(values.length * d.bytes());
            float[] back = new float[values.length];
            d.decode(b.flip(), back, 0, values.length);
            assertThat(back).as("%s", d).containsExactly(d == SafetensorsDtype.BF16
                    ? new float[] {0.5f, -2f, 3.140625f, 65536f} : values);
        }
        ByteBuffer half = ByteBuffer.allocate(2);
        SafetensorsDtype.F16.encode(new float[] {1f}, 0, 1, half);
        assertThat(half.array()).containsExactly(0x00, 0x3C);
        assertThat(SafetensorsDtype.parse("bfloat16")).isEqualTo(SafetensorsDtype.BF16);
        assertThat(SafetensorsDtype.parse("f16")).isEqualTo(SafetensorsDtype.F16);
    }
}
