package dev.bonsai.api.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.model.Shape;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageJitterTest {
    /** A 1×3×3 image 1..9, row-major. */
    private static final float[] IMAGE = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    private static final float F = -0.5f; // the fill

    /** Every result of shift 1 without flip, written out by hand: the image moved by (dy, dx), holes filled. */
    private static final List<float[]> SHIFTS_BY_HAND = List.of(
            new float[] {F, F, F, F, 1, 2, F, 4, 5}, // dy −1, dx −1
            new float[] {F, F, F, 1, 2, 3, 4, 5, 6}, // dy −1, dx 0
            new float[] {F, F, F, 2, 3, F, 5, 6, F}, // dy −1, dx +1
            new float[] {F, 1, 2, F, 4, 5, F, 7, 8}, // dy 0, dx −1
            new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, // no move
            new float[] {2, 3, F, 5, 6, F, 8, 9, F}, // dy 0, dx +1
            new float[] {F, 4, 5, F, 7, 8, F, F, F}, // dy +1, dx −1
            new float[] {4, 5, 6, 7, 8, 9, F, F, F}, // dy +1, dx 0
            new float[] {5, 6, F, 8, 9, F, F, F, F}); // dy +1, dx +1

    private static Batch batchOf(int n, float[] image, int channels, int size) {
        float[] data = new float[n * image.length];
        for (int i = 0; i < n; i++) {
            System.arraycopy(image, 0, data, i * image.length, image.length);
        }
        return new Batch(new dev.bonsai.api.model.Tensor(Shape.of(n, channels, size, size), data), new int[n]);
    }

    private static int[] ids(int n) {
        int[] ids = new int[n];
        Arrays.setAll(ids, i -> i);
        return ids;
    }

    @Test
    void shiftsAreTheNineHandComputedImagesEachAboutEquallyOften() {
        int n = 1800;
        float[] out = new ImageJitter(1, false, new float[] {F}).apply(batchOf(n, IMAGE, 1, 3), ids(n), 7, 0)
                .features().data();
        Map<Integer, Integer> seen = new HashMap<>();
        for (int i = 0; i < n; i++) {
            float[] sample = Arrays.copyOfRange(out, i * 9, i * 9 + 9);
            int match = -1;
            for (int k = 0; k < SHIFTS_BY_HAND.size(); k++) {
                if (Arrays.equals(sample, SHIFTS_BY_HAND.get(k))) {
                    match = k;
                }
            }
            assertThat(match).as("sample %d = %s is one of the hand-computed shifts", i, Arrays.toString(sample))
                    .isNotNegative();
            seen.merge(match, 1, Integer::sum);
        }
        assertThat(seen).hasSize(9);
        // each of 9 outcomes has probability 1/9: 200 expected, binomial sd ≈ 13.3; allow 5 sd
        seen.values().forEach(count -> assertThat(count).isBetween(133, 267));
    }

    @Test
    void flipsMirrorTheShiftedImageHalfTheTime() {
        int n = 2000;
        float[] out = new ImageJitter(1, true, new float[] {F}).apply(batchOf(n, IMAGE, 1, 3), ids(n), 7, 0)
                .features().data();
        int flipped = 0;
        for (int i = 0; i < n; i++) {
            float[] sample = Arrays.copyOfRange(out, i * 9, i * 9 + 9);
            float[] mirrored = mirror(sample, 3);
            // output (y, x) = input (y + dy, (w−1−x) + dx): mirroring the output gives a plain shift by (dy, −dx)
            boolean plain = SHIFTS_BY_HAND.stream().anyMatch(s -> Arrays.equals(s, sample));
            boolean viaMirror = SHIFTS_BY_HAND.stream().anyMatch(s -> Arrays.equals(s, mirrored));
            assertThat(plain || viaMirror).as("sample %d = %s", i, Arrays.toString(sample)).isTrue();
            if (!plain) {
                flipped++;
            }
        }
        // symmetric images aside (none here: 1..9 has no mirror symmetry), half are flipped: 1000 ± 5 × 22
        assertThat(flipped).isBetween(890, 1110);
    }

    @Test
    void eachChannelIsFilledWithItsOwnValueAndMovedTogether() {
        float[] image = new float[18];
        for (int i = 0; i < 9; i++) {
            image[i] = IMAGE[i];
            image[9 + i] = 10 * IMAGE[i];
        }
        int n = 300;
        float[] out = new ImageJitter(1, true, new float[] {F, -2}).apply(batchOf(n, image, 2, 3), ids(n), 3, 1)
                .features().data();
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 9; k++) {
                float red = out[i * 18 + k];
                float green = out[i * 18 + 9 + k];
                if (red == F) {
                    assertThat(green).isEqualTo(-2f);
                } else {
                    assertThat(green).isEqualTo(10 * red);
                }
            }
        }
    }

    @Test
    void aSampleDependsOnSeedEpochAndIndexOnlyNotOnItsBatch() {
        ImageJitter jitter = new ImageJitter(1, true, new float[] {F});
        float[] whole = jitter.apply(batchOf(6, IMAGE, 1, 3), new int[] {5, 3, 1, 0, 2, 4}, 7, 3).features().data();
        float[] alone = jitter.apply(batchOf(1, IMAGE, 1, 3), new int[] {1}, 7, 3).features().data();
        assertThat(Arrays.copyOfRange(whole, 18, 27)).isEqualTo(alone);
        float[] again = jitter.apply(batchOf(6, IMAGE, 1, 3), new int[] {5, 3, 1, 0, 2, 4}, 7, 3).features().data();
        assertThat(again).isEqualTo(whole);
        int n = 64;
        float[] e3 = jitter.apply(batchOf(n, IMAGE, 1, 3), ids(n), 7, 3).features().data();
        float[] e4 = jitter.apply(batchOf(n, IMAGE, 1, 3), ids(n), 7, 4).features().data();
        float[] s8 = jitter.apply(batchOf(n, IMAGE, 1, 3), ids(n), 8, 3).features().data();
        assertThat(e4).isNotEqualTo(e3);
        assertThat(s8).isNotEqualTo(e3);
    }

    @Test
    void nonImagesAndImpossibleSettingsAreRefusedWithTheReason() {
        ImageJitter jitter = new ImageJitter(2, false, new float[] {0});
        assertThatThrownBy(() -> jitter.check(Shape.of(256))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[channels, height, width]").hasMessageContaining("[256]")
                .hasMessageContaining("tokens");
        assertThatThrownBy(() -> jitter.check(Shape.of(1, 2, 8))).hasMessageContaining("not smaller");
        assertThatThrownBy(() -> new ImageJitter(1, false, new float[] {0, 0}).check(Shape.of(3, 8, 8)))
                .hasMessageContaining("2 fill values").hasMessageContaining("3 channels");
        assertThatThrownBy(() -> new ImageJitter(0, false, new float[] {0})).hasMessageContaining("changes nothing");
        assertThatThrownBy(() -> new ImageJitter(-1, true, new float[] {0})).hasMessageContaining("≥ 0");
        jitter.check(Shape.of(1, 28, 28));
    }

    private static float[] mirror(float[] image, int width) {
        float[] out = new float[image.length];
        for (int y = 0; y < image.length / width; y++) {
            for (int x = 0; x < width; x++) {
                out[y * width + x] = image[y * width + width - 1 - x];
            }
        }
        return out;
    }
}
