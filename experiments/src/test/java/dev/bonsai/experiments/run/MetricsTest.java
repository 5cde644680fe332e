package dev.bonsai.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bonsai.api.data.Dataset;
import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.Evaluation;
import dev.bonsai.api.model.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void sequenceDataRecordTheWindowsPredictionsAndWindowLength() {
        int[] stream = new int[1000];
        for (int i = 0; i < stream.length; i++) {
            stream[i] = i % 7;
        }
        // the perplexity protocol at ctx 256: 255 inputs and 255 predictions per window, windows 256 apart
        Split test = Split.ofTokenWindows("test", stream, 255, 256);
        Dataset data = new Dataset(new DatasetInfo("d", Shape.of(255), 7, Map.of()), test, Optional.empty(), test);
        Map<String, Double> m = new LinkedHashMap<>();

        new Metrics(data).test(m, "test_", new Evaluation(1.5, 0.25, test.size()));

        assertThat(test.size()).isEqualTo(3);
        assertThat(m).containsEntry("test_windows", 3.0).containsEntry("test_predictions", 3.0 * 255)
                .containsEntry("test_window_tokens", 256.0);
        assertThat(m.get("test_perplexity")).isCloseTo(Math.exp(1.5), within(1e-12));
        // without a vocabulary there are no characters to count
        assertThat(m).doesNotContainKey("test_bits_per_character");
    }

    @Test
    void classifiersRecordNoWindows() {
        Split s = new Split("test", Shape.of(2), new float[4], new int[] {0, 1});
        Dataset data = new Dataset(new DatasetInfo("d", Shape.of(2), 2, Map.of(), List.of()), s, Optional.empty(), s);
        Map<String, Double> m = new LinkedHashMap<>();

        new Metrics(data).test(m, "test_", new Evaluation(0.5, 0.5, 2));

        assertThat(m).containsOnlyKeys("test_accuracy", "test_loss", "test_errors");
    }
}
