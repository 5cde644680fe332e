package dev.bonsai.api.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.model.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BatchSamplerTest {

    @Test
    void epochOrdersArePermutationsFixedBySeedAndEpoch() {
        BatchSampler s = new BatchSampler(3);
        int[] e0 = s.order(1000, 0);
        assertThat(Arrays.stream(e0.clone()).sorted().toArray()).isEqualTo(java.util.stream.IntStream.range(0, 1000).toArray());
        assertThat(new BatchSampler(3).order(1000, 0)).isEqualTo(e0);
        assertThat(s.order(1000, 1)).isNotEqualTo(e0);
        assertThat(new BatchSampler(4).order(1000, 0)).isNotEqualTo(e0);
    }

    @Test
    void batchesGatherTheOrderedSamples() {
        Split split = new Split("s", Shape.of(2), new float[] {0, 1, 10, 11, 20, 21}, new int[] {0, 1, 2});
        Batch b = split.batch(new int[] {2, 0, 1}, 0, 2);
        assertThat(b.features().data()).containsExactly(20, 21, 0, 1);
        assertThat(b.labels()).containsExactly(2, 0);
        assertThat(b.features().shape()).isEqualTo(Shape.of(2, 2));
    }
}
