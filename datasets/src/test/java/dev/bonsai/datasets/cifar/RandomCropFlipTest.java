package dev.bonsai.datasets.cifar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.model.Shape;
import org.junit.jupiter.api.Test;

class RandomCropFlipTest {
    private static Split split(int n) {
        float[] f = new float[n * 2 * 8 * 8];
        for (int i = 0; i < f.length; i++) {
            f[i] = i % 64 + 1; // 1..64 per plane, never the fill value 0
        }
        return new Split("train", Shape.of(2, 8, 8), f, new int[n]);
    }

    @Test
    void isDeterministicPerSeedEpochAndSampleWhateverTheBatching() {
        Split s = split(6);
        int[] order = {5, 3, 1, 0, 2, 4};
        RandomCropFlip aug = new RandomCropFlip(2, new float[] {0, 0});
        Batch whole = aug.apply(s.batch(order, 0, 6), order, 7, 3);
        Batch firstHalf = aug.apply(s.batch(order, 0, 3), new int[] {5, 3, 1}, 7, 3);
        assertThat(java.util.Arrays.copyOf(whole.features().data(), 3 * 128)).isEqualTo(firstHalf.features().data());

        Batch again = aug.apply(s.batch(order, 0, 6), order, 7, 3);
        assertThat(again.features().data()).isEqualTo(whole.features().data());
        Batch otherEpoch = aug.apply(s.batch(order, 0, 6), order, 7, 4);
        assertThat(otherEpoch.features().data()).isNotEqualTo(whole.features().data());
        assertThat(s.features()[0]).isEqualTo(1f); // the split itself is untouched
    }

    @Test
    void cropsShiftAndPadAndFlipsMirror() {
        Split s = split(200);
        int[] order = new int[200];
        for (int i = 0; i < 200; i++) {
            order[i] = i;
        }
        Batch b = new RandomCropFlip(2, new float[] {0, -1}).apply(s.batch(order, 0, 200), order, 1, 0);
        float[] d = b.features().data();
        boolean sawPadding = false;
        boolean sawIdentityOrFlip = false;
        for (int i = 0; i < 200; i++) {
            int base = i * 128;
            for (int c = 0; c < 2; c++) {
                for (int k = 0; k < 64; k++) {
                    float v = d[base + c * 64 + k];
                    if (v == (c == 0 ? 0f : -1f)) {
                        sawPadding = true;
                    } else {
                        assertThat(v).isBetween(1f, 64f);
                    }
                }
            }
            // every row of the image is a (possibly mirrored, shifted) copy of a source row: values along a row
            // differ by exactly 1 between neighbours unless padded
            float a = d[base + 3 * 8 + 3];
            float nb = d[base + 3 * 8 + 4];
            if (a != 0f && nb != 0f) {
                assertThat(Math.abs(a - nb)).isEqualTo(1f);
                sawIdentityOrFlip = true;
            }
        }
        assertThat(sawPadding).isTrue();
        assertThat(sawIdentityOrFlip).isTrue();
    }
}
