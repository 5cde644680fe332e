package dev.bonsai.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.engine.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DivergenceGuardTest {

    @Test
    void aLossThatIsNoLongerFiniteStopsTheTrainingNamingItAndTheEpoch() {
        List<Double> seen = new ArrayList<>();
        TrainingListener guard = DivergenceGuard.around(new TrainingListener() {
            @Override
            public void epochEnded(int epoch, double meanLoss) {
                seen.add(meanLoss);
            }
        }, "hinton · seed 1 · dense training");
        guard.epochEnded(0, 0.4); // epochs are counted from 0, and named from 1
        assertThatThrownBy(() -> guard.epochEnded(1, Double.NaN)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining("hinton · seed 1 · dense training", "epoch 2", "NaN", "gradient_clip");
        assertThatThrownBy(() -> guard.epochEnded(3, Double.POSITIVE_INFINITY)).isInstanceOf(BonsaiException.class);
        // the progress still shows the last epoch before the training stops
        assertThat(seen).hasSize(3).startsWith(0.4);
    }
}
