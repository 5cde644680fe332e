package dev.bonsai.reports.markdown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.reports.Records;
import dev.bonsai.reports.csv.CsvReportWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Distillation in the reports: the recipe is a dimension next to the strategy, and the teachers have a section. */
class RecipeReportTest {

    /** Hard-label and distilled students of three seeds, dense only, with test errors; one shared teacher. */
    private static List<TrialRecord> students() {
        List<TrialRecord> records = new ArrayList<>();
        double[] hard = {150, 146, 142};
        double[] soft = {76, 74, 72};
        for (int seed = 1; seed <= 3; seed++) {
            TrialRecord base = Records.ok("s" + seed, "none", 0, seed,
                    Records.accuracies(0.985, 0.985, 1 - hard[seed - 1] / 10_000));
            records.add(Records.distilled(base, "none", null, 0, hard[seed - 1]));
            TrialRecord distilled = Records.ok("d" + seed, "none", 0, seed,
                    Records.accuracies(0.9925, 0.9925, 1 - soft[seed - 1] / 10_000));
            records.add(Records.distilled(distilled, "hinton", "0123456789abcdef", 67, soft[seed - 1]));
        }
        return records;
    }

    @Test
    void showsRecipesSideBySideWithTestErrorsAndTheirConfidenceIntervals() {
        String md = new MarkdownReport(students(), new MarkdownOptions(2)).render();
        String errors = md.substring(md.indexOf("## Test errors after fine-tuning"));
        errors = errors.substring(0, errors.indexOf("\n## ", 4));
        assertThat(errors).contains("| strategy | recipe |");
        // mean 146 ± 4, t(0.975, 2) = 4.303: 146 ± 4.303·4/√3 = [136.06, 155.94]
        assertThat(errors).containsPattern("\\| none +\\| none +\\| +146\\.00 ± 4\\.00 \\[136\\.06, 155\\.94\\] \\(n=3\\)");
        assertThat(errors).containsPattern("\\| none +\\| hinton +\\| +74\\.00 ± 2\\.00 \\[69\\.03, 78\\.97\\] \\(n=3\\)");
        String baseline = md.substring(md.indexOf("## Dense baseline"));
        assertThat(baseline.substring(0, baseline.indexOf("\n## ", 4))).contains("| recipe |");
    }

    @Test
    void comparesRecipesPairedBySeedOnTestErrors() {
        String md = new MarkdownReport(students(), new MarkdownOptions(2)).render();
        String paired = md.substring(md.indexOf("## Paired comparisons of recipes (test errors)"));
        // per seed none − hinton: 74, 72, 70; mean 72, sd 2, t(0.975, 2)·2/√3 = 4.97
        assertThat(paired).containsPattern("\\| none +\\| hinton +\\| +3 \\| +\\+72\\.00 \\| +\\[67\\.03, 76\\.97\\]");
        assertThat(md).doesNotContain("## Paired comparisons of strategies");
    }

    @Test
    void listsEachTeacherOnceWithItsOwnMetrics() {
        String md = new MarkdownReport(students(), new MarkdownOptions(2)).render();
        String teachers = md.substring(md.indexOf("## Teachers"));
        teachers = teachers.substring(0, teachers.indexOf("\n## ", 4));
        assertThat(teachers).contains("`0123456789abcdef`").contains("hinton").contains("99.33").contains(" 67 |")
                .contains("2,395,210");
        assertThat(teachers.lines().filter(l -> l.startsWith("| `"))).hasSize(1);
    }

    @Test
    void withoutDistillationThereIsNoRecipeColumnNorTeacherSection() {
        List<TrialRecord> plain = List.of(Records.ok("a", "magnitude", 0.5, 1, Records.accuracies(0.98, 0.9, 0.97)),
                Records.ok("b", "magnitude", 0.5, 2, Records.accuracies(0.98, 0.9, 0.97)));
        String md = new MarkdownReport(plain, new MarkdownOptions(2)).render();
        assertThat(md).doesNotContain("| recipe |").doesNotContain("## Teachers");
    }

    @Test
    void csvCarriesTheRecipeAndTeacherAsProvenanceColumns() {
        List<String> lines = CsvReportWriter.render(students()).lines().toList();
        List<String> header = List.of(lines.get(0).split(","));
        assertThat(header).contains("provenance.recipe", "provenance.teacher_hash", "metric.teacher_test_errors");
        assertThat(lines.get(2).split(",")[header.indexOf("provenance.recipe")]).isEqualTo("hinton");
    }
}
