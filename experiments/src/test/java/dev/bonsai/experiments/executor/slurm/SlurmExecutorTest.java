package dev.bonsai.experiments.executor.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.experiments.cli.BonsaiCli;
import dev.bonsai.experiments.cli.CliRun;
import dev.bonsai.experiments.executor.Resources;
import dev.bonsai.reports.store.ResultsStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slurm executor: its array scripts, and (where a Slurm controller answers, as after {@code .ci/slurm-up}) a
 * sweep run end to end as a job array, one trial failing, reported by {@code bonsai sweep status} and resubmitted
 * alone, and a driver that stops after submitting and is run again without submitting anything twice.
 */
class SlurmExecutorTest {

    @Test
    void resourcesBecomeSbatchOptions(@TempDir Path dir) throws Exception {
        SlurmExecutor.Options options = new SlurmExecutor.Options(Optional.of("gpu"), Optional.of("lab"),
                List.of("--qos=long"), Optional.of(4), Optional.empty(), true, 10);
        Resources resources = new Resources(4, 2, List.of("a100", "nvlink"), Optional.of("16G"), Optional.of("2:00:00"));
        List<String> sbatch = SlurmScript.options("e", resources, options, dir.resolve("logs"));
        assertThat(sbatch).containsExactly("--job-name=bonsai-e", "--cpus-per-task=4", "--gres=gpu:2",
                "--constraint=a100&nvlink", "--mem=16G", "--time=2:00:00", "--partition=gpu", "--account=lab",
                "--output=" + dir.resolve("logs").toAbsolutePath() + "/%A_%a.out", "--qos=long");
        Submissions folder = Submissions.in(dir);
        Files.createDirectories(folder.dir());
        String script = Files.readString(SlurmScript.write(folder, sbatch, "/opt/bonsai/bin/bonsai", "cuda"));
        assertThat(script).startsWith("#!/bin/bash\n#SBATCH --job-name=bonsai-e\n")
                .contains("#SBATCH --gres=gpu:2\n", "sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" \"$1\"",
                        "exec '/opt/bonsai/bin/bonsai' trial --work", "--trial \"$trial\" --device cuda:0\n");
        assertThat(SlurmScript.write(folder, sbatch, "bonsai", "cpu")).content().doesNotContain("--device");
    }

    private static boolean slurmAnswers() {
        try {
            Process p = new ProcessBuilder("sinfo", "-h", "-o", "%T").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("(?s).*(idle|mixed).*");
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aSweepRunsAsAJobArrayAndAFailedTrialIsResubmittedAlone(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(slurmAnswers(), "no Slurm controller answers sinfo here (start one with .ci/slurm-up "
                + "DIR and export SLURM_CONF): the slurm executor's end-to-end test is skipped");
        Path launcher = dir.resolve("bonsai");
        Files.writeString(launcher, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -Dlog4j2.level=WARN -cp '" + System.getProperty("java.class.path")
                + "' dev.bonsai.experiments.cli.BonsaiCli \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path marker = Files.writeString(dir.resolve("fail"), "");
        Path file = dir.resolve("sweep.yaml");
        Files.writeString(file, """
                name: slurm-sweep
                seeds: [1]
                engine: {id: djl, device: cpu}
                dataset: {id: synthetic, train: 256, test: 64}
                model: {id: mlp, hidden: [8]}
                train: {optimizer: {id: sgd, lr: 0.1}, epochs: 1, batch: 32}
                prune:
                  strategies: [magnitude, random, {id: fail-while-marked, marker: '%s'}]
                  sparsities: [0.5]
                  finetune: {epochs: 1}
                report: [csv]
                executor: {id: slurm, bonsai: '%s', poll: 1, wait_for_trials: false}
                resources: {gpu: 1, hardware: [a100], memory: 300M, time: '10:00'}
                """.formatted(marker, launcher));
        Path out = dir.resolve("out");

        // the driver submits and stops (as if killed); run again, it submits nothing twice and waits
        CliRun submitted = CliRun.of("run", file.toString(), "--out", out.toString());
        assertThat(submitted.out()).contains("3 trials still queued");
        CliRun resumed = CliRun.of("run", file.toString(), "--out", out.toString(), "--set",
                "executor={id: slurm, bonsai: '" + launcher + "', poll: 1}");
        assertThat(resumed.status()).as(resumed.out()).isEqualTo(BonsaiCli.TRIALS_FAILED + 1);
        assertThat(resumed.out()).contains("1 failed");
        assertThat(Files.readAllLines(out.resolve("slurm/jobs.jsonl"))).hasSize(3);

        List<TrialRecord> records = ResultsStore.in(out).read();
        assertThat(records).hasSize(3).allSatisfy(r -> {
            assertThat(r.provenance()).containsEntry("executor", "slurm").containsKeys("slurm.job_id",
                    "slurm.array_task_id", "slurm.node");
            assertThat(r.provenance().get("slurm.gpus")).isIn("0", "1");
        });
        CliRun status = CliRun.of("sweep", "status", out.toString());
        assertThat(status.status()).isEqualTo(1);
        assertThat(status.out()).contains("2 done, 1 failed, 0 lost", "failing on purpose");

        Files.delete(marker);
        CliRun again = CliRun.of("sweep", "resubmit", out.toString());
        assertThat(again.out()).contains("resubmitted 1 trial as Slurm job");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        CliRun done;
        do {
            Thread.sleep(1000);
            done = CliRun.of("sweep", "status", out.toString());
        } while (!done.out().contains("3 done") && System.nanoTime() < deadline);
        assertThat(done.status()).as(done.out()).isZero();
        assertThat(done.out()).contains("0 queued, 0 running, 3 done, 0 failed, 0 lost");
        assertThat(ResultsStore.latestPerTrial(ResultsStore.in(out).read())).hasSize(3)
                .allSatisfy(r -> assertThat(r.ok()).isTrue());
        assertThat(Files.readAllLines(out.resolve("slurm/jobs.jsonl"))).hasSize(4);
    }
}
