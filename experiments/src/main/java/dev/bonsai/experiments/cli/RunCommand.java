package dev.bonsai.experiments.cli;

import dev.bonsai.experiments.Bonsai;
import dev.bonsai.experiments.descriptor.ExperimentDescriptor;
import dev.bonsai.experiments.run.ExperimentRunner;
import dev.bonsai.experiments.run.LogProgress;
import dev.bonsai.experiments.run.Progress;
import dev.bonsai.experiments.run.RunOptions;
import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.experiments.run.TrialSpec;
import dev.bonsai.reports.model.Dimension;
import dev.bonsai.reports.model.Sensitivity;
import dev.bonsai.reports.store.ResultsStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bonsai run FILE}: run an experiment, resuming unfinished trials in its output folder. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run an experiment. Finished trials in the output folder are kept and skipped (resume).")
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The experiment descriptor (YAML).")
    Path file;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: runs/<experiment name>).")
    Path out;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder with one sub-folder per dataset, looked at before BONSAI_DATA_DIR and the cache.")
    Path dataDir;

    @Option(names = "--offline", description = "Never download; also set by BONSAI_OFFLINE=1.")
    boolean offline;

    @Option(names = "--engine", paramLabel = "ID[:DEVICE]",
            description = "Override the descriptor's engine, e.g. djl, djl:cpu, or a device alone (cpu, cuda).")
    String engine;

    @Option(names = "--executor", paramLabel = "ID",
            description = "Where the trials run: local (default), slurm, spark (optional module); overrides the "
                    + "descriptor's executor id, keeping no options of another executor.")
    String executor;

    @Option(names = "--master", paramLabel = "URL",
            description = "The Spark master, e.g. spark://host:7077 (implies --executor spark unless given).")
    String master;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a descriptor value (YAML syntax), e.g. train.epochs=1 or seeds=[1,2]. Repeatable.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--fresh", description = "Start over in a new folder (OUT-2, OUT-3, …) when OUT already holds "
            + "results; nothing is deleted. Without it, a run resumes the trials in OUT.")
    boolean fresh;

    @Option(names = "--plugins", paramLabel = "DIR|JAR",
            description = "A plugin jar, or a folder of plugin jars, to load besides plugins/ and ~/.bonsai/plugins."
                    + " Repeatable.")
    List<Path> plugins = new ArrayList<>();

    @Option(names = "--json", description = "Print every trial's record as one JSON object on the last line of output.")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // --executor first, so that --set executor.KEY=VALUE refines the executor it picks
        List<String> all = new ArrayList<>(executorOverrides(executor, master));
        all.addAll(overrides);
        if (engine != null) {
            all.add("engine=" + engineOverride(engine));
        }
        Bonsai bonsai = Bonsai.forDescriptor(file, plugins, all);
        ExperimentDescriptor descriptor = bonsai.read(file, all);
        Path outDir = out != null ? out : Path.of("runs", descriptor.name());
        if (fresh) {
            outDir = FreshFolder.next(outDir);
        }
        Progress progress = System.console() != null ? new TerminalProgress() : new LogProgress();
        ExperimentRunner.RunSummary summary = bonsai.run(descriptor,
                new RunOptions(file, outDir, Optional.ofNullable(dataDir), offline, all, plugins), progress);
        var stdout = spec.commandLine().getOut();
        if (json) {
            stdout.println(ResultsStore.toJsonObject(summary.records()));
        } else {
            stdout.printf("%d trial%s run, %d failed; results and reports in %s%n", summary.fresh().size(),
                    summary.fresh().size() == 1 ? "" : "s", summary.failed(), outDir);
            summary.fresh().forEach(r -> stdout.println("  " + summaryLine(r)));
            if (summary.pending() > 0) {
                stdout.printf("%d trial%s still queued: bonsai sweep status %s%n", summary.pending(),
                        summary.pending() == 1 ? "" : "s", outDir);
            }
            summary.reports().forEach(p -> stdout.println("  " + p));
        }
        stdout.flush();
        return BonsaiCli.runStatus(summary.failed());
    }

    /**
     * {@code --executor} and {@code --master} as descriptor overrides: a bare id replaces the whole section (an
     * option of another executor would not bind); {@code --master} sets the Spark master.
     */
    static List<String> executorOverrides(String executor, String master) {
        List<String> out = new ArrayList<>();
        String id = executor != null ? executor : master != null ? "spark" : null;
        if (id != null) {
            out.add("executor=" + (master != null ? "{id: " + id + ", master: '" + master + "'}" : id));
        }
        return out;
    }

    /**
     * One trial in a line: its configuration (seed, recipe, strategy and sparsity), then the test accuracy, and for
     * a language model the test loss in nats per token, the perplexity and the bits per character.
     */
    static String summaryLine(TrialRecord r) {
        StringBuilder line = new StringBuilder();
        line.append("seed ").append(r.seed()).append(" · ");
        String recipe = r.provenance().get(Dimension.RECIPE_KEY);
        if (recipe != null) {
            line.append(recipe).append(" · ");
        }
        line.append(r.strategy());
        Sensitivity.layer(r).ifPresent(layer -> line.append(" on ").append(layer).append(" alone"));
        if (!TrialSpec.NONE.equals(r.strategy())) {
            line.append(String.format(Locale.ROOT, " @ %.4g", r.targetSparsity()));
        }
        if (!r.ok()) {
            return line.append(": failed: ").append(r.error()).toString();
        }
        line.append(String.format(Locale.ROOT, ": test accuracy %.2f%%", 100 * r.metric("test_accuracy")));
        if (r.metrics().containsKey("test_perplexity")) {
            line.append(String.format(Locale.ROOT, ", loss %.4f nats/token, perplexity %.3f", r.metric("test_loss"),
                    r.metric("test_perplexity")));
            if (r.metrics().containsKey("test_bits_per_character")) {
                line.append(String.format(Locale.ROOT, ", %.4f bits/char", r.metric("test_bits_per_character")));
            }
        }
        return line.toString();
    }

    private static String engineOverride(String value) {
        int colon = value.indexOf(':');
        if (colon < 0) {
            return value;
        }
        return "{id: " + value.substring(0, colon) + ", device: '" + value.substring(colon + 1) + "'}";
    }
}
