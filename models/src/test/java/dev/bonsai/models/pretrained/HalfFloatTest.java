package dev.bonsai.models.pretrained;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HalfFloatTest {

    @Test
    void knownHalvesWidenExactly() {
        assertThat(HalfFloat.toFloat(0x3C00)).isEqualTo(1.0f);
        assertThat(HalfFloat.toFloat(0xC000)).isEqualTo(-2.0f);
        assertThat(HalfFloat.toFloat(0x3555)).isEqualTo(0.333251953125f);
        assertThat(HalfFloat.toFloat(0x7BFF)).isEqualTo(65504f);
        assertThat(HalfFloat.toFloat(0x0400)).isEqualTo((float) Math.pow(2, -14));
        assertThat(HalfFloat.toFloat(0x0001)).isEqualTo((float) Math.pow(2, -24));
        assertThat(HalfFloat.toFloat(0x83FF)).isEqualTo((float) (-1023 * Math.pow(2, -24)));
        assertThat(Float.floatToRawIntBits(HalfFloat.toFloat(0x8000))).isEqualTo(0x80000000);
        assertThat(HalfFloat.toFloat(0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(HalfFloat.toFloat(0xFC00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(HalfFloat.toFloat(0x7E00)).isNaN();
    }

    @Test
    void everyHalfSurvivesTheRoundTrip() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = HalfFloat.toFloat(bits);
            if (!Float.isNaN(f)) {
                assertThat(HalfFloat.fromFloat(f) & 0xffff).as("half 0x%04x", bits).isEqualTo(bits);
            }
        }
    }

    /** Narrowing picks the nearest of all finite halves, ties to the even one, found by exhaustive search. */
    @Test
    void narrowingRoundsToTheNearestHalfTiesToEven() {
        Random random = new Random(7);
        float[] probes = new float[1500];
        for (int i = 0; i < probes.length; i++) {
            double magnitude = Math.pow(2, -26 + 42 * random.nextDouble());
            probes[i] = (float) (random.nextBoolean() ? magnitude : -magnitude);
        }
        // Exact midpoints between neighbours: 1 + 2^-11 lies between 1 and 1 + 2^-10 (even: 1).
        float[] ties = {1f + 0x1p-11f, 1f + 3 * 0x1p-11f, 0x1p-25f, 3 * 0x1p-25f, 65520f, -(1f + 0x1p-11f)};
        for (float f : concat(probes, ties)) {
            assertThat(HalfFloat.fromFloat(f) & 0xffff).as("nearest half to %s", f).isEqualTo(nearest(f));
        }
        assertThat(HalfFloat.toFloat(HalfFloat.fromFloat(1f + 0x1p-11f))).isEqualTo(1f);
        assertThat(HalfFloat.toFloat(HalfFloat.fromFloat(1f + 3 * 0x1p-11f))).isEqualTo(1f + 0x1p-9f);
        assertThat(HalfFloat.toFloat(HalfFloat.fromFloat(65520f))).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(HalfFloat.toFloat(HalfFloat.fromFloat(1e-9f))).isEqualTo(0f);
    }

    @Test
    void bfloat16IsTheUpperHalfOfAFloat() {
        assertThat(HalfFloat.bfloat16ToFloat(0x3F80)).isEqualTo(1.0f);
        assertThat(HalfFloat.bfloat16ToFloat(0xC020)).isEqualTo(-2.5f);
        assertThat(HalfFloat.bfloat16ToFloat(0x3E20)).isEqualTo(0.15625f);
        assertThat(HalfFloat.bfloat16ToFloat(0x7F80)).isEqualTo(Float.POSITIVE_INFINITY);
    }

    /** The half nearest {@code f} by scanning every finite half; ties go to the even bit pattern. */
    private static int nearest(float f) {
        int best = -1;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int bits = 0; bits < 0x10000; bits++) {
            float h = HalfFloat.toFloat(bits);
            if (Float.isNaN(h) || Float.isInfinite(h) || (bits & 0x7fff) == 0 && bits != (f < 0 ? 0x8000 : 0)) {
                continue;
            }
            double distance = Math.abs((double) h - f);
            if (distance < bestDistance || distance == bestDistance && (bits & 1) == 0) {
                best = bits;
                bestDistance = distance;
            }
        }
        // Beyond the largest half by half an ulp (2^15·(2 − 2^−11)) the nearest is infinity.
        if (Math.abs((double) f) >= 65520) {
            return f < 0 ? 0xFC00 : 0x7C00;
        }
        return best;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = new float[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
