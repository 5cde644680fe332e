package dev.bonsai.experiments.cli;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.experiments.executor.slurm.SlurmExecutor;
import dev.bonsai.experiments.executor.slurm.SweepStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bonsai sweep}: how a sweep submitted to a cluster scheduler stands, and resubmitting its failed trials. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Follow a sweep submitted to Slurm: status, and resubmit failed trials.",
        subcommands = {SweepCommand.Status.class, SweepCommand.Resubmit.class})
final class SweepCommand {

    private static void requireSubmitted(Path out) {
        if (!Files.exists(out.resolve("slurm").resolve("jobs.jsonl"))) {
            throw new BonsaiException(out + " holds no Slurm submissions (no slurm/jobs.jsonl); run the sweep with "
                    + "bonsai run FILE --out " + out + " --executor slurm");
        }
    }

    /** {@code bonsai sweep status OUT}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show every submitted trial as queued, running, done, failed or lost (ended without a "
                    + "record). Exit status 1 when some failed or were lost.")
    static final class Status implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "OUT", description = "The run's output folder.")
        Path out;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            requireSubmitted(out);
            List<SweepStatus.Line> lines = SweepStatus.of(out);
            var stdout = spec.commandLine().getOut();
            stdout.printf("%-16s  %-14s  %-8s  %s%n", "trial", "slurm task", "state", "what / why");
            for (SweepStatus.Line l : lines) {
                stdout.printf("%-16s  %-14s  %-8s  %s%n", l.trial(), l.job(),
                        l.state().name().toLowerCase(java.util.Locale.ROOT),
                        (l.label() + (l.detail().isEmpty() ? "" : (l.label().isEmpty() ? "" : ": ") + l.detail())));
            }
            Map<SweepStatus.State, Integer> counts = SweepStatus.counts(lines);
            List<String> summary = new ArrayList<>();
            counts.forEach((s, n) -> summary.add(n + " " + s.name().toLowerCase(java.util.Locale.ROOT)));
            stdout.println(String.join(", ", summary));
            stdout.flush();
            return counts.get(SweepStatus.State.FAILED) + counts.get(SweepStatus.State.LOST) > 0 ? 1 : 0;
        }
    }

    /** {@code bonsai sweep resubmit OUT [--trial ID]... }. */
    @Command(name = "resubmit", mixinStandardHelpOptions = true,
            description = "Submit trials again, alone: those named with --trial, or every failed and lost one.")
    static final class Resubmit implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "OUT", description = "The run's output folder.")
        Path out;

        @Option(names = "--trial", paramLabel = "ID", description = "A trial to resubmit. Repeatable.")
        List<String> trials = new ArrayList<>();

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            requireSubmitted(out);
            List<String> ids = new ArrayList<>(trials);
            if (ids.isEmpty()) {
                for (SweepStatus.Line l : SweepStatus.of(out)) {
                    if (l.state() == SweepStatus.State.FAILED || l.state() == SweepStatus.State.LOST) {
                        ids.add(l.trial());
                    }
                }
            }
            var stdout = spec.commandLine().getOut();
            if (ids.isEmpty()) {
                stdout.println("nothing to resubmit: no trial failed or was lost");
            } else {
                List<String> jobs = new SlurmExecutor().resubmit(out, ids);
                stdout.printf("resubmitted %d trial%s as Slurm job%s %s%n", ids.size(), ids.size() == 1 ? "" : "s",
                        jobs.size() == 1 ? "" : "s", String.join(", ", jobs));
            }
            stdout.flush();
            return 0;
        }
    }
}
