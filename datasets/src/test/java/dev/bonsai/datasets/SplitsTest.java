package dev.bonsai.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.model.Shape;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitsTest {
    /** 100 samples of 2 features; sample i has features (i, -i) and label i % 10, so each sample is recognisable. */
    private static Split train() {
        int n = 100;
        float[] features = new float[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            features[2 * i] = i;
            features[2 * i + 1] = -i;
            labels[i] = i % 10;
        }
        return new Split("train", Shape.of(2), features, labels);
    }

    private static int[] ids(Split split) {
        int[] ids = new int[split.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (int) split.features()[2 * i];
            assertThat(split.features()[2 * i + 1]).isEqualTo(-ids[i]);
            assertThat(split.labels()[i]).isEqualTo(ids[i] % 10);
        }
        return ids;
    }

    @Test
    void sameSeedSameSplit() {
        HoldOut a = Splits.holdOut(train(), 10, 7);
        HoldOut b = Splits.holdOut(train(), 10, 7);

        assertThat(ids(a.validation().orElseThrow())).containsExactly(ids(b.validation().orElseThrow()));
        assertThat(ids(a.train())).containsExactly(ids(b.train()));
    }

    @Test
    void otherSeedOtherSplit() {
        HoldOut a = Splits.holdOut(train(), 10, 7);
        HoldOut b = Splits.holdOut(train(), 10, 8);

        assertThat(ids(a.validation().orElseThrow())).isNotEqualTo(ids(b.validation().orElseThrow()));
    }

    @Test
    void partsPartitionTheOriginalInStableOrder() {
        HoldOut parts = Splits.holdOut(train(), 25, 3);
        int[] validation = ids(parts.validation().orElseThrow());
        int[] rest = ids(parts.train());

        assertThat(validation).hasSize(25).isSorted();
        assertThat(rest).hasSize(75).isSorted();
        int[] union = IntStream.concat(Arrays.stream(validation), Arrays.stream(rest)).sorted().toArray();
        assertThat(union).containsExactly(IntStream.range(0, 100).toArray());
        assertThat(parts.train().name()).isEqualTo("train");
        assertThat(parts.validation().orElseThrow().name()).isEqualTo("validation");
    }

    @Test
    void zeroMeansNoValidation() {
        Split train = train();
        HoldOut parts = Splits.holdOut(train, 0, 1);

        assertThat(parts.validation()).isEmpty();
        assertThat(parts.train()).isSameAs(train);
    }

    @Test
    void invalidSizesNameTheNumbers() {
        assertThatThrownBy(() -> Splits.holdOut(train(), -1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1")
                .hasMessageContaining("100 samples");
        assertThatThrownBy(() -> Splits.holdOut(train(), 100, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 0 and 99")
                .hasMessageContaining("is 100");
    }

    @Test
    void withValidationReplacesTheTrainingSplit() {
        Split test = new Split("test", Shape.of(2), new float[4], new int[2]);
        Dataset dataset = new Dataset(new DatasetInfo("toy", Shape.of(2), 10, Map.of()), train(), Optional.empty(),
                test);

        Dataset held = Splits.withValidation(dataset, 20, 5);

        assertThat(held.train().size()).isEqualTo(80);
        assertThat(held.validation().orElseThrow().size()).isEqualTo(20);
        assertThat(held.test()).isSameAs(test);
        assertThat(ids(held.validation().orElseThrow()))
                .containsExactly(ids(Splits.holdOut(train(), 20, 5).validation().orElseThrow()));
    }
}
