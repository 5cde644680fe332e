package dev.bonsai.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BonsaiCliTest {

    @Test
    void validatePrintsEveryErrorWithItsLineAndFails(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                name: bad
                dataset: {id: mnist}
                model: {id: lenet-300-100}
                train: {epochs: 1}
                prune:
                  strategies: [magnitude, obdd]
                  sparsites: [0.5]
                  sparsities: [1.5]
                """);
        CliRun r = CliRun.of("validate", file.toString());
        assertThat(r.status()).isEqualTo(BonsaiCli.BAD_INPUT);
        assertThat(r.err()).contains("3 errors", file + ":6:", file + ":7:", file + ":8:", "obdd", "sparsites", "1.5");
    }

    @Test
    void validateAcceptsTheQuickstart() {
        Path quickstart = Path.of("..", "examples", "quickstart.yaml");
        CliRun r = CliRun.of("validate", quickstart.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("is valid", "quickstart", "2 trials");
    }

    @Test
    void executorAndMasterBecomeDescriptorOverridesAndBadExecutorOptionsAreBadInput() {
        assertThat(RunCommand.executorOverrides("slurm", null)).containsExactly("executor=slurm");
        assertThat(RunCommand.executorOverrides(null, "spark://h:7077"))
                .containsExactly("executor={id: spark, master: 'spark://h:7077'}");
        assertThat(RunCommand.executorOverrides(null, null)).isEmpty();
        Path quickstart = Path.of("..", "examples", "quickstart.yaml");
        CliRun unknown = CliRun.of("validate", quickstart.toString(), "--set", "executor={id: local, parallel: 0}");
        assertThat(unknown.status()).isEqualTo(BonsaiCli.BAD_INPUT);
        assertThat(unknown.err()).contains("parallel");
    }

    @Test
    void pluginsListsEveryKindWithVersions() {
        CliRun r = CliRun.of("plugins");
        assertThat(r.status()).isZero();
        assertThat(r.out()).containsPattern("engine\\s+djl\\s+\\S+")
                .containsPattern("dataset\\s+mnist\\s+0\\.1\\.0")
                .containsPattern("model\\s+lenet-300-100\\s+0\\.1\\.0")
                .containsPattern("model\\s+mlp\\s+")
                .containsPattern("strategy\\s+magnitude\\s+0\\.1\\.0")
                .containsPattern("strategy\\s+random\\s+")
                .containsPattern("schedule\\s+one-shot\\s+")
                .containsPattern("report\\s+markdown\\s+")
                .containsPattern("executor\\s+local\\s+0\\.1\\.0")
                .containsPattern("executor\\s+slurm\\s+");
    }

    @Test
    void enginesListsEachDeviceWithItsAvailability() {
        CliRun r = CliRun.of("engines");
        assertThat(r.status()).isZero();
        assertThat(r.out()).containsPattern("djl\\s+100\\s+cpu\\s+yes").containsPattern("djl\\s+100\\s+cuda\\s+(yes|no)")
                .containsPattern("dl4j\\s+50\\s+cpu\\s+yes").containsPattern("dl4j\\s+50\\s+cuda\\s+(yes|no)");
    }

    @Test
    void runWithJsonPrintsEveryRecordOnTheLastLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("e.yaml");
        Files.writeString(file, """
                name: json
                dataset: {id: synthetic}
                model: {id: mlp, hidden: [8]}
                train: {epochs: 2, batch: 32}
                prune: {strategies: [magnitude], sparsities: [0.5, 0.7], finetune: {epochs: 1}}
                """);
        CliRun r = CliRun.of("run", file.toString(), "--out", dir.resolve("out").toString(), "--json", "--offline");
        assertThat(r.status()).as(r.err()).isZero();
        String[] lines = r.out().strip().split("\n");
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(json.get("trials")).hasSize(2);
        assertThat(json.get("trials").get(0).get("target_sparsity").asDouble()).isEqualTo(0.5);
    }

    @Test
    void theExitStatusOfARunSaysHowManyTrialsFailed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("e.yaml");
        Files.writeString(file, """
                name: failing
                dataset: {id: synthetic}
                model: {id: mlp, hidden: [8]}
                train: {epochs: 1, batch: 32}
                prune: {strategies: [magnitude], sparsities: [0.95, 0.96, 0.97], structure: neurons}
                """);
        CliRun r = CliRun.of("run", file.toString(), "--out", dir.resolve("out").toString(), "--offline");
        assertThat(r.status()).as(r.err()).isEqualTo(BonsaiCli.TRIALS_FAILED + 3);
        assertThat(r.out()).contains("3 trials run, 3 failed");
        assertThat(BonsaiCli.runStatus(0)).isZero();
        assertThat(BonsaiCli.runStatus(250)).isEqualTo(199);
    }

    @Test
    void unknownCommandsAndMissingFilesFailClearly(@TempDir Path dir) {
        CliRun r = CliRun.of("validate", dir.resolve("nope.yaml").toString());
        assertThat(r.status()).isEqualTo(BonsaiCli.BAD_INPUT);
        assertThat(r.err()).contains("cannot read descriptor", "nope.yaml");
        assertThat(CliRun.of("frobnicate").status()).isEqualTo(CommandLine.ExitCode.USAGE);
    }
}
