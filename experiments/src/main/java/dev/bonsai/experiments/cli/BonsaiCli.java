package dev.bonsai.experiments.cli;

import dev.bonsai.api.BonsaiException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bonsai}: the command line. Exit status 0 on success, 1 when trials failed, 2 on bad input. */
@Command(name = "bonsai", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Prune and distil neural networks in reproducible experiments.",
        subcommands = {RunCommand.class, ValidateCommand.class, PluginsCommand.class, EnginesCommand.class, BenchCommand.class, ReportCommand.class, DatasetsCommand.class, ReferenceCommand.class, SampleCommand.class,
                CommandLine.HelpCommand.class})
public final class BonsaiCli {
    /** Bad input: a descriptor error, an unknown plugin, a missing file. */
    public static final int BAD_INPUT = 2;

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
