package dev.bonsai.api.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.data.BatchSampler;
import dev.bonsai.api.data.ImageJitter;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.model.Shape;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrainingPlanTest {
    private static final TrainingConfig PLAIN = new TrainingConfig(1, 2, new OptimizerSpec.Sgd(0.1, 0, false, 0),
            new LrSchedule.Constant(), 0, List.of(new LossTerm.CrossEntropy(1)));

    private static Split images(int n) {
        float[] f = new float[n * 16];
        for (int i = 0; i < f.length; i++) {
            f[i] = i + 1;
        }
        return new Split("train", Shape.of(1, 4, 4), f, new int[n]);
    }

    @Test
    void trainingBatchesAreAugmentedOnlyWhenTheConfigSaysSo() {
        Split data = images(8);
        int[] order = new BatchSampler(5).order(8, 2);
        Batch plain = new TrainingPlan(data, new BatchSampler(5), 0, PLAIN, Optional.empty())
                .trainingBatch(order, 2, 6, 2);
        assertThat(plain.features().data()).isEqualTo(data.batch(order, 2, 6).features().data());

        ImageJitter jitter = new ImageJitter(1, true, new float[] {0});
        TrainingConfig augmented = PLAIN.withAugmentation(Optional.of(jitter));
        Batch b = new TrainingPlan(data, new BatchSampler(5), 0, augmented, Optional.empty())
                .trainingBatch(order, 2, 6, 2);
        Batch expected = jitter.apply(data.batch(order, 2, 6), java.util.Arrays.copyOfRange(order, 2, 6), 5, 2);
        assertThat(b.features().data()).isEqualTo(expected.features().data()).isNotEqualTo(plain.features().data());
        assertThat(b.labels()).isEqualTo(plain.labels());
        assertThat(data.features()[0]).isEqualTo(1f); // the split is never written
        // the configuration keeps its augmentation through the other with* copies
        assertThat(augmented.withEpochs(3).withOptimizer(PLAIN.optimizer()).withLoss(PLAIN.loss()).augmentation())
                .contains(jitter);
    }

    @Test
    void anAugmentationThatCannotTransformTheSamplesIsRefusedWhenThePlanIsMade() {
        Split text = new Split("train", Shape.of(6), new float[12], new int[2]);
        TrainingConfig augmented = PLAIN.withAugmentation(Optional.of(new ImageJitter(2, false, new float[] {0})));
        assertThatThrownBy(() -> new TrainingPlan(text, new BatchSampler(1), 0, augmented, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("split 'train'")
                .hasMessageContaining("[6]");
    }
}
