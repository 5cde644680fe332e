package dev.bonsai.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchCommandTest {

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setOut(new PrintWriter(out));
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int status = cli.execute(args);
        assertThat(status).as(err.toString()).isZero();
        return out.toString();
    }

    @Test
    void printsOneJsonObjectPerMeasurementAndTheRatioToThePeer(@TempDir Path dir) throws Exception {
        Path fakePeer = dir.resolve("peer.py");
        Files.writeString(fakePeer, "print('torch 0.0 threads=1 batch=32: 1000 samples/s')\n");
        String out = run("--samples", "256", "--batch", "32", "--repeats", "1", "--json",
                "--peer", fakePeer.toString(), "--python", "python3");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            lines.add(new ObjectMapper().readTree(line));
        }
        assertThat(lines).extracting(n -> n.get("engine").asText() + " " + n.get("metric").asText())
                .containsExactlyInAnyOrder("djl train_samples_per_s", "djl infer_samples_per_s",
                        "dl4j train_samples_per_s", "dl4j infer_samples_per_s", "torch-peer train_samples_per_s",
                        "djl ratio_to_torch_peer", "dl4j ratio_to_torch_peer");
        for (String engine : List.of("djl", "dl4j")) {
            JsonNode train = find(lines, engine, "train_samples_per_s");
            assertThat(train.get("device").asText()).isEqualTo("cpu");
            assertThat(train.get("model").asText()).isEqualTo("lenet-300-100");
            assertThat(train.get("batch").asInt()).isEqualTo(32);
            // without --threads each engine runs with its default: dl4j 1, djl one per core (fewer while waiting)
            assertThat(train.get("threads").asInt()).as("threads of %s", engine)
                    .isEqualTo(engine.equals("dl4j") ? 1 : Runtime.getRuntime().availableProcessors());
            assertThat(train.get("value").asDouble()).isPositive();
            assertThat(find(lines, engine, "ratio_to_torch_peer").get("value").asDouble())
                    .isCloseTo(train.get("value").asDouble() / 1000, org.assertj.core.data.Offset.offset(0.01));
        }
        assertThat(find(lines, "torch-peer", "train_samples_per_s").get("value").asDouble()).isEqualTo(1000.0);
    }

    private static JsonNode find(List<JsonNode> lines, String engine, String metric) {
        return lines.stream().filter(n -> n.get("engine").asText().equals(engine)
                && n.get("metric").asText().equals(metric)).findFirst().orElseThrow();
    }

    @Test
    void measuresTheModelWithHalfItsNeuronsRemovedBesideTheFlopRatio() throws Exception {
        String out = run("--samples", "256", "--batch", "32", "--repeats", "1", "--json", "--neurons", "0.5");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            lines.add(new ObjectMapper().readTree(line));
        }
        assertThat(lines).extracting(n -> n.get("model").asText() + " " + n.get("metric").asText()).contains(
                "lenet-300-100-neurons-50% train_samples_per_s", "lenet-300-100-neurons-50% infer_speedup",
                "lenet-300-100-neurons-50% flop_ratio");
        double flopRatio = lines.stream().filter(n -> n.get("metric").asText().equals("flop_ratio")).findFirst()
                .orElseThrow().get("value").asDouble();
        // 784·300 + 300·100 + 100·10 multiply-adds against 784·150 + 150·50 + 50·10
        assertThat(flopRatio).isCloseTo((784.0 * 300 + 300 * 100 + 100 * 10) / (784.0 * 150 + 150 * 50 + 50 * 10),
                org.assertj.core.data.Offset.offset(1e-3));
    }

    /** Catches: a scoring line missing, or a ratio that is not the two times it reports divided. */
    @Test
    void timesObdScoringAgainstAnEpochOfGradients() throws Exception {
        String out = run("--engine", "djl", "--samples", "256", "--batch", "64", "--repeats", "1", "--json",
                "--scoring", "obd", "--scoring-samples", "200");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            lines.add(new ObjectMapper().readTree(line));
        }
        double gradient = find(lines, "djl", "gradient_epoch_s").get("value").asDouble();
        double obd = find(lines, "djl", "obd_gauss_newton_s").get("value").asDouble();
        JsonNode ratio = find(lines, "djl", "obd_scoring_cost_ratio");
        assertThat(gradient).isPositive();
        assertThat(obd).isPositive();
        assertThat(ratio.get("model").asText()).isEqualTo("lenet-300-100");
        assertThat(ratio.get("batch").asInt()).isEqualTo(64);
        // the JSON rounds every value to three decimals: the two times by up to 0.0005 s each, and the ratio too
        double rounding = obd / gradient * (0.0005 / gradient + 0.0005 / obd) + 0.0005;
        assertThat(ratio.get("value").asDouble()).isCloseTo(obd / gradient,
                org.assertj.core.data.Offset.offset(1.01 * rounding + 1e-9));
    }

    @Test
    void refusesAnUnknownScoringStrategy() {
        assertThat(refusal("--scoring", "magnitude")).contains("unknown --scoring 'magnitude'", "obd");
    }

    @Test
    void measuresLeNet5WithHalfItsChannelsRemovedBesideTheFlopRatio() throws Exception {
        String out = run("--engine", "djl", "--model", "lenet-5", "--samples", "64", "--batch", "32", "--repeats", "1",
                "--json", "--channels", "0.5");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            lines.add(new ObjectMapper().readTree(line));
        }
        assertThat(lines).extracting(n -> n.get("model").asText() + " " + n.get("metric").asText()).contains(
                "lenet-5-channels-50% train_samples_per_s", "lenet-5-channels-50% infer_speedup",
                "lenet-5-channels-50% flop_ratio");
        double flopRatio = lines.stream().filter(n -> n.get("metric").asText().equals("flop_ratio")).findFirst()
                .orElseThrow().get("value").asDouble();
        // multiply-adds per sample: conv1 1·25·6·28², conv2 6·25·16·10², fc1 400·120, fc2 120·84, fc3 84·10; half the
        // channels gone: conv1 3 filters, conv2 3 inputs and 8 filters, fc1 8·5·5 inputs
        double dense = 25.0 * 6 * 784 + 6 * 25 * 16 * 100 + 400 * 120 + 120 * 84 + 84 * 10;
        double pruned = 25.0 * 3 * 784 + 3 * 25 * 8 * 100 + 200 * 120 + 120 * 84 + 84 * 10;
        assertThat(flopRatio).isCloseTo(dense / pruned, org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void refusesChannelsOfAModelWithoutConvs() {
        CommandLine cli = new CommandLine(new BenchCommand());
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setExecutionExceptionHandler((e, c, p) -> {
            c.getErr().println(e.getMessage());
            return 2;
        });
        assertThat(cli.execute("--engine", "djl", "--samples", "64", "--batch", "32", "--repeats", "1", "--channels",
                "0.5")).isEqualTo(2);
        assertThat(err.toString()).contains("--channels", "'lenet-300-100'", "no conv layer");
    }

    @Test
    void refusesAModelThatDoesNotFitTheDataShape() {
        assertThat(refusal("--data", "plankton")).contains("unknown --data 'plankton'", "mnist, cifar, text");
    }

    @Test
    void refusesPretrainedOptionsWithoutAPretrainedModel() {
        assertThat(refusal("--windows", "4")).contains("--windows is an option of a pretrained model's bench",
                "--pretrained PATH");
        assertThat(refusal("--dataset", "tinystories")).contains("--dataset is an option");
        assertThat(refusal("--context", "256")).contains("--context is an option");
    }

    @Test
    void refusesZooOptionsBesideAPretrainedModel() {
        assertThat(refusal("--pretrained", "model.bin", "--model", "mlp", "--neurons", "0.5"))
                .contains("--model, --neurons cannot go with --pretrained", "drop --model, --neurons");
        assertThat(refusal("--pretrained", "model.bin", "--scoring", "obd")).contains("--scoring cannot go with");
    }

    @Test
    void refusesPretrainedWindowsOutOfRange(@TempDir Path dir) {
        Path model = dir.resolve("model.bin");
        assertThat(refusal("--pretrained", model.toString(), "--context", "1"))
                .contains("--context must be at least 2", "got 1,");
        assertThat(refusal("--pretrained", model.toString(), "--windows", "-1"))
                .contains("--windows at least 0 (0: all)", "-1");
        assertThat(refusal("--pretrained", model.toString())).contains("no model at " + model);
    }

    /** What bench says on standard error for {@code args}, after checking that it exits with status 2. */
    private static String refusal(String... args) {
        CommandLine cli = new CommandLine(new BenchCommand());
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setExecutionExceptionHandler((e, c, p) -> {
            c.getErr().println(e.getMessage());
            return 2;
        });
        assertThat(cli.execute(args)).isEqualTo(2);
        return err.toString();
    }
}
