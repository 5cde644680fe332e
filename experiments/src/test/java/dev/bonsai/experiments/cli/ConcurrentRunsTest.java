package dev.bonsai.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.reports.store.ResultsStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code bonsai run}s of one descriptor into one output folder, in two processes, share the sweep: each trial
 * is computed by one of them and recorded once, and each run's result covers every trial; a trial whose run is
 * killed while the other waits for it is computed by the other. The trials pause in their scoring while a marker
 * file exists, so the second run starts while the first holds a trial, whatever the machine's speed.
 */
class ConcurrentRunsTest {
    private static final int TRIALS = 4;
    private static final Pattern STARTED = Pattern.compile(": started \\(trial ([0-9a-f]+)\\)");
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    private static String descriptor(Path gate) {
        return """
                name: shared
                seeds: [1]
                engine: {id: djl, device: cpu, threads: 1}
                dataset: {id: synthetic, train: 512, test: 64}
                model: {id: mlp, hidden: [16]}
                train: {optimizer: {id: sgd, lr: 0.1}, epochs: 1, batch: 32}
                prune:
                  strategies: [{id: pause-while-marked, marker: '%s'}]
                  sparsities: [0.2, 0.4, 0.6, 0.8]
                  finetune: {epochs: 1}
                report: [csv]
                """.formatted(gate);
    }

    /** Logs at INFO to standard error, as the CLI does (the test class path's configuration logs warnings only). */
    private static Path logConfig(Path dir) throws IOException {
        Path file = dir.resolve("log4j2-child.xml");
        Files.writeString(file, """
                <?xml version="1.0" encoding="UTF-8"?>
                <Configuration status="WARN">
                  <Appenders><Console name="stderr" target="SYSTEM_ERR"><PatternLayout pattern="%msg%n"/></Console>
                  </Appenders>
                  <Loggers>
                    <Logger name="dev.bonsai" level="INFO"/>
                    <Root level="WARN"><AppenderRef ref="stderr"/></Root>
                  </Loggers>
                </Configuration>
                """);
        return file;
    }

    private Process start(Path file, Path out, Path logConfig, String name) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = List.of(java, "-Dlog4j2.configurationFile=" + logConfig,
                "-cp", System.getProperty("java.class.path"), BonsaiCli.class.getName(), "run", file.toString(),
                "--out", out.toString(), "--offline", "--json");
        Process process = new ProcessBuilder(command)
                .redirectOutput(file.resolveSibling(name + ".out").toFile())
                .redirectError(file.resolveSibling(name + ".log").toFile()).start();
        processes.add(process);
        return process;
    }

    /** The trial ids a run's log says it started, in order. */
    private static List<String> started(Path log) throws IOException {
        List<String> ids = new ArrayList<>();
        if (Files.exists(log)) {
            Matcher m = STARTED.matcher(Files.readString(log));
            while (m.find()) {
                ids.add(m.group(1));
            }
        }
        return ids;
    }

    private static void awaitStarted(Path log, Process process, String who) throws Exception {
        long deadline = System.nanoTime() + 3 * MINUTE;
        while (started(log).isEmpty()) {
            assertThat(process.isAlive()).as("%s ended before starting a trial:%n%s", who, Files.readString(log))
                    .isTrue();
            assertThat(System.nanoTime()).as("%s started no trial within 3 minutes", who).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** The trial ids in the JSON a run printed last on standard output. */
    private static Set<String> printedIds(Path stdout) throws IOException {
        List<String> lines = Files.readAllLines(stdout);
        assertThat(lines).as("standard output of %s", stdout).isNotEmpty();
        Matcher m = Pattern.compile("\"trial_id\":\"([0-9a-f]+)\"").matcher(lines.get(lines.size() - 1));
        List<String> ids = new ArrayList<>();
        while (m.find()) {
            ids.add(m.group(1));
        }
        assertThat(ids).as("trials printed once each").doesNotHaveDuplicates();
        return Set.copyOf(ids);
    }

    @Test
    void twoRunsIntoOneFolderComputeEachTrialOnce(@TempDir Path dir) throws Exception {
        Path gate = dir.resolve("gate");
        Files.writeString(gate, "trials wait while this file exists\n");
        Path file = dir.resolve("shared.yaml");
        Files.writeString(file, descriptor(gate));
        Path out = dir.resolve("out");
        Path config = logConfig(dir);

        Process first = start(file, out, config, "first");
        awaitStarted(dir.resolve("first.log"), first, "the first run");
        // the first run holds its first trial (paused in scoring) while the second starts
        Process second = start(file, out, config, "second");
        awaitStarted(dir.resolve("second.log"), second, "the second run");
        Files.delete(gate);

        for (Process p : List.of(first, second)) {
            assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("both runs finish").isTrue();
        }
        String logs = Files.readString(dir.resolve("first.log")) + Files.readString(dir.resolve("second.log"));
        assertThat(first.exitValue()).as(logs).isZero();
        assertThat(second.exitValue()).as(logs).isZero();

        List<TrialRecord> records = ResultsStore.in(out).read();
        Set<String> ids = records.stream().map(TrialRecord::trialId).collect(Collectors.toSet());
        assertThat(records).as("one record per trial").hasSize(TRIALS);
        assertThat(ids).hasSize(TRIALS);
        assertThat(records).allSatisfy(r -> assertThat(r.ok()).as(r.error()).isTrue());

        List<String> byFirst = started(dir.resolve("first.log"));
        List<String> bySecond = started(dir.resolve("second.log"));
        List<String> all = new ArrayList<>(byFirst);
        all.addAll(bySecond);
        assertThat(all).as("each trial computed by one run, once").hasSize(TRIALS).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(byFirst).as("the first run computed some").isNotEmpty();
        assertThat(bySecond).as("the second run computed some").isNotEmpty();

        // each run waited for the other's trials, so what it printed covers the whole sweep
        assertThat(printedIds(dir.resolve("first.out"))).isEqualTo(ids);
        assertThat(printedIds(dir.resolve("second.out"))).isEqualTo(ids);
        assertThat(Files.readAllLines(out.resolve("results.csv"))).as("the report").hasSize(TRIALS + 1);
    }

    @Test
    void aTrialOfARunKilledWhileAnotherWaitsForItIsComputedByTheOther(@TempDir Path dir) throws Exception {
        Path gate = dir.resolve("gate");
        Files.writeString(gate, "trials wait while this file exists\n");
        Path file = dir.resolve("shared.yaml");
        Files.writeString(file, descriptor(gate));
        Path out = dir.resolve("out");
        Path config = logConfig(dir);

        Process first = start(file, out, config, "first");
        awaitStarted(dir.resolve("first.log"), first, "the first run");
        Process second = start(file, out, config, "second");
        awaitStarted(dir.resolve("second.log"), second, "the second run");
        String orphan = started(dir.resolve("first.log")).get(0);
        first.destroyForcibly(); // SIGKILL in the middle of its trial: no record, no clean-up
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Files.delete(gate);

        assertThat(second.waitFor(10, TimeUnit.MINUTES)).as("the second run finishes").isTrue();
        String log = Files.readString(dir.resolve("second.log"));
        assertThat(second.exitValue()).as(log).isZero();
        List<TrialRecord> records = ResultsStore.in(out).read();
        assertThat(records).hasSize(TRIALS);
        assertThat(records.stream().map(TrialRecord::trialId).distinct()).hasSize(TRIALS).contains(orphan);
        assertThat(started(dir.resolve("second.log"))).as("the second run computed all, the orphan last")
                .hasSize(TRIALS).doesNotHaveDuplicates().endsWith(orphan);
        assertThat(log).contains("released by another run without a record");
        assertThat(printedIds(dir.resolve("second.out"))).hasSize(TRIALS);
    }
}
