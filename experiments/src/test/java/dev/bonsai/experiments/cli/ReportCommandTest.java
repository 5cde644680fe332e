package dev.bonsai.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.reports.store.ResultsStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReportCommandTest {
    @TempDir
    Path dir;

    private record Result(int status, String out, String err) {
    }

    private static Result report(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ReportCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute(args);
        return new Result(status, out.toString(), err.toString());
    }

    private static TrialRecord trial(String id, String strategy, double sparsity, long seed, String engine,
            String device, double accuracy) {
        return new TrialRecord("compare", id, TrialRecord.OK, null, "lenet-300-100", "mnist", strategy, "global",
                "unstructured", "one-shot", sparsity, sparsity, 266_610, Math.round(266_610 * (1 - sparsity)), seed,
                engine, device, Map.of("dense_test_accuracy", 0.98, "pruned_test_accuracy", accuracy - 0.1,
                        "test_accuracy", accuracy),
                Map.of("load", 1.0, "train", 10.0, "prune", 0.5, "finetune", 2.0, "evaluate", 0.3, "total", 13.8),
                Map.of("cpu", engine.equals("djl") ? "Intel Xeon × 8" : "AMD EPYC × 16", "dataset_sha256", "abc"));
    }

    /** A run folder with obd and magnitude at 50% and 90% for seeds 1–3 on one engine. */
    private Path run(String name, String engine, String device) throws IOException {
        Path run = dir.resolve(name);
        ResultsStore store = ResultsStore.in(run);
        int id = 0;
        for (String strategy : new String[] {"obd", "magnitude"}) {
            for (double s : new double[] {0.5, 0.9}) {
                for (int seed = 1; seed <= 3; seed++) {
                    double accuracy = 0.97 - (strategy.equals("obd") ? 0.01 : 0.02) * s - 0.001 * seed;
                    store.append(trial(engine + "-" + id++, strategy, s, seed, engine, device, accuracy));
                }
            }
        }
        return run;
    }

    @Test
    void rendersEveryFormatIntoTheSingleFolderAndReportsDamagedLines() throws IOException {
        Path run = run("a", "djl", "cpu");
        Files.writeString(run.resolve("results.jsonl"), "{\"experiment\": \"broken\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        Result r = report(run.toString());

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("skipped damaged line 13 of " + run.resolve("results.jsonl"));
        assertThat(r.out()).contains("12 records, 1 damaged line skipped", "12 trials from 1 folder");
        assertThat(run.resolve("report.md")).exists();
        assertThat(run.resolve("report.html")).exists();
        assertThat(run.resolve("results.csv")).exists();
        assertThat(Files.readString(run.resolve("report.md"))).contains("## Paired comparisons of strategies");
    }

    @Test
    void mergesFoldersFromTwoEnginesSideBySide() throws IOException {
        Path a = run("a", "djl", "cpu");
        Path b = run("b", "dl4j", "cuda");
        Path merged = dir.resolve("merged");

        Result r = report(a.toString(), b.toString(), "--out", merged.toString(), "--format", "markdown,html");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("24 trials from 2 folders");
        String md = Files.readString(merged.resolve("report.md"));
        assertThat(md).contains("`djl/cpu` (12 trials)", "`dl4j/cuda` (12 trials)");
        assertThat(md.lines().filter(l -> l.startsWith("| obd ")).toList())
                .anySatisfy(l -> assertThat(l).contains("djl", "cpu"))
                .anySatisfy(l -> assertThat(l).contains("dl4j", "cuda"));
        String html = Files.readString(merged.resolve("report.html"));
        assertThat(html).contains("obd · djl · cpu", "obd · dl4j · cuda", "Intel Xeon × 8", "AMD EPYC × 16");
        assertThat(merged.resolve("results.csv")).doesNotExist();
    }

    @Test
    void theSameTrialInTwoFoldersCountsOnce() throws IOException {
        Path a = run("a", "djl", "cpu");
        Path b = run("b", "djl", "cpu");

        Result r = report(a.toString(), b.toString(), "--out", dir.resolve("m").toString(), "--format", "markdown");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("12 trials were recorded in more than one folder");
        assertThat(r.out()).contains("12 trials from 2 folders");
    }

    @Test
    void badInputGivesAMessageAndStatusTwo() throws IOException {
        Path a = run("a", "djl", "cpu");
        Path b = run("b", "dl4j", "cuda");
        Path empty = Files.createDirectories(dir.resolve("empty"));

        Result several = report(a.toString(), b.toString());
        assertThat(several.status()).isEqualTo(2);
        assertThat(several.err()).contains("--out DIR is required");

        Result missing = report(dir.resolve("nope").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("nope: no such folder");

        Result noResults = report(empty.toString());
        assertThat(noResults.status()).isEqualTo(2);
        assertThat(noResults.err()).contains("holds no results.jsonl");

        Result unknown = report(a.toString(), "--format", "markdown,pdf");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown report format 'pdf'", "html", "csv", "markdown");
        assertThat(a.resolve("report.md")).doesNotExist();
    }
}
