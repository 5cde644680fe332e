package dev.bonsai.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.reports.model.Sensitivity;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console's line per trial after {@code bonsai run}. */
class RunSummaryLineTest {

    private static TrialRecord record(String strategy, double sparsity, Map<String, Double> metrics) {
        return record(strategy, sparsity, metrics, Map.of());
    }

    private static TrialRecord record(String strategy, double sparsity, Map<String, Double> metrics,
            Map<String, String> provenance) {
        return new TrialRecord("e", "t", TrialRecord.OK, null, "char-gpt", "tinyshakespeare", strategy, "global",
                "unstructured", "one-shot", sparsity, sparsity, 100, 50, 3, "djl", "cpu", metrics, Map.of(),
                provenance);
    }

    @Test
    void languageModelsShowLossPerplexityAndBitsPerCharacter() {
        TrialRecord lm = record("none", 0, Map.of("test_accuracy", 0.5512, "test_loss", 1.4953,
                "test_perplexity", Math.exp(1.4953), "test_bits_per_character", 1.4953 / Math.log(2)));
        assertThat(RunCommand.summaryLine(lm)).isEqualTo("seed 3 · none: test accuracy 55.12%, loss 1.4953 nats/token, "
                + "perplexity 4.461, 2.1573 bits/char");
        TrialRecord classifier = record("magnitude", 0.9, Map.of("test_accuracy", 0.9811, "test_loss", 0.06));
        assertThat(RunCommand.summaryLine(classifier)).isEqualTo("seed 3 · magnitude @ 0.9000: test accuracy 98.11%");
        TrialRecord distilled = record("none", 0, Map.of("test_accuracy", 0.5), Map.of("recipe", "hinton"));
        assertThat(RunCommand.summaryLine(distilled)).isEqualTo("seed 3 · hinton · none: test accuracy 50.00%");
    }

    @Test
    void aSensitivityTrialNamesItsLayer() {
        TrialRecord r = record("obd", 0.5, Map.of("test_accuracy", 0.9732));
        TrialRecord alone = new TrialRecord(r.experiment(), r.trialId(), r.status(), r.error(), r.model(), r.dataset(),
                r.strategy(), Sensitivity.scope("fc2"), r.structure(), r.schedule(), r.targetSparsity(),
                r.achievedSparsity(), r.totalParameters(), r.nonzeroParameters(), r.seed(), r.engine(), r.device(),
                r.metrics(), r.timings(), r.provenance());
        assertThat(RunCommand.summaryLine(alone)).isEqualTo("seed 3 · obd on fc2 alone @ 0.5000: test accuracy 97.32%");
    }
}
