package dev.bonsai.experiments.cli;

import dev.bonsai.api.BonsaiException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bonsai}: the command line. Exit status 0 on success, 1 on an error that stopped the work, 2 on bad input,
 * and {@code 100 + N} when a run finished with N failed trials (199: 99 or more).
 */
@Command(name = "bonsai", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Prune and distil neural networks in reproducible experiments.",
        subcommands = {RunCommand.class, ValidateCommand.class, PluginsCommand.class, EnginesCommand.class, BenchCommand.class, ReportCommand.class, DatasetsCommand.class, ReferenceCommand.class, TrialCommand.class, SweepCommand.class,
                SampleCommand.class, ExportCommand.class,
                CommandLine.HelpCommand.class})
public final class BonsaiCli {
    /** Bad input: a descriptor error, an unknown plugin, a missing file. */
    public static final int BAD_INPUT = 2;
    /** {@code TRIALS_FAILED + N}: a run finished, and N of its trials failed (N capped at 99). */
    public static final int TRIALS_FAILED = 100;

    /** The exit status of a run that finished with {@code failed} failed trials. */
    static int runStatus(int failed) {
        return failed == 0 ? 0 : TRIALS_FAILED + Math.min(failed, 99);
    }

    private BonsaiCli() {
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit status. */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new BonsaiCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof BonsaiException) {
                commandLine.getErr().println("bonsai: " + e.getMessage());
                return BAD_INPUT;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
