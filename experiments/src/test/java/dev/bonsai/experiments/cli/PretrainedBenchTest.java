package dev.bonsai.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bonsai.experiments.pretrained.SharedStories260K;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code bonsai bench --pretrained} on stories260K over the first windows of TinyStories' test split, beside the
 * PyTorch peer {@code torch_llama.py} on the same windows: the peer is an independent implementation, so equal
 * perplexities show that both evaluated the same windows the same way. Skipped with a message where the shared
 * models, datasets or peers, or a Python with PyTorch, are absent.
 */
class PretrainedBenchTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void benchesStories260KBesideThePeerOnTheSameWindows() throws Exception {
        Path model = SharedStories260K.checkpoint();
        Path shared = model.getParent().getParent().getParent();
        Path script = shared.resolve("peers/torch_llama.py");
        Path data = shared.resolve("datasets");
        assumeTrue(Files.isRegularFile(script) && Files.isRegularFile(data.resolve("tinystories/tinystories_val.txt")),
                "no peers/torch_llama.py or datasets/tinystories beside " + model.getParent().getParent()
                        + ": skipping the pretrained bench beside the peer");
        String python = pythonWithTorch();
        assumeTrue(python != null, "no python3 with torch and numpy (set BONSAI_PYTHON, or install python3-torch "
                + "python3-numpy): skipping the pretrained bench beside the peer");

        List<JsonNode> lines = new ArrayList<>();
        for (String line : run("--pretrained", model.toString(), "--context", "256", "--windows", "6", "--repeats",
                "1", "--engine", "djl", "--data-dir", data.toString(), "--peer", script.toString(), "--python", python,
                "--json").strip().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        List<Integer> threads = cores == 1 ? List.of(1) : List.of(cores, 1);
        JsonNode peerSpeed = find(lines, "torch-peer", "eval_tokens_per_s", 1);
        double peerPerplexity = find(lines, "torch-peer", "test_perplexity", 1).get("value").asDouble();
        assertThat(peerSpeed.get("model").asText()).isEqualTo("stories260K");
        assertThat(peerSpeed.get("value").asDouble()).isPositive();
        // over 6 windows of 255 predictions a perplexity near stories260K's 5.65 on the whole split, not a broken one
        assertThat(peerPerplexity).isBetween(3.0, 10.0);
        for (int t : threads) {
            JsonNode speed = find(lines, "djl", "eval_tokens_per_s", t);
            assertThat(speed.get("value").asDouble()).as("tokens/s at %d threads", t).isPositive();
            double perplexity = find(lines, "djl", "test_perplexity", t).get("value").asDouble();
            // the same windows, the same model: perplexities agree to 5 significant digits
            assertThat(Math.abs(perplexity - peerPerplexity) / peerPerplexity).as("perplexity %s against the peer's %s",
                    perplexity, peerPerplexity).isLessThan(5e-6);
            double difference = find(lines, "djl", "perplexity_relative_difference_to_torch_peer", t).get("value")
                    .asDouble();
            assertThat(difference).as("relative perplexity difference at %d threads", t).isLessThan(5e-6);
            assertThat(find(lines, "djl", "ratio_to_torch_peer", t).get("value").asDouble())
                    .isCloseTo(speed.get("value").asDouble() / peerSpeed.get("value").asDouble(), within(0.002));
        }
    }

    @Test
    void refusesADatasetThatIsNotTokenisedTextAndMoreWindowsThanTheSplitHas() {
        Path model = SharedStories260K.checkpoint();
        Path data = model.getParent().getParent().getParent().resolve("datasets");
        assumeTrue(Files.isRegularFile(data.resolve("tinystories/tinystories_val.txt")),
                "no datasets/tinystories beside the shared models: skipping");
        assertThat(refusal("--pretrained", model.toString(), "--dataset", "mnist", "--data-dir", data.toString()))
                .contains("--dataset 'mnist' is not text a pretrained model's tokenizer tokenises", "tinystories");
        assertThat(refusal("--pretrained", model.toString(), "--context", "256", "--windows", "5000", "--data-dir",
                data.toString())).contains("--windows 5000 is more than the 1197 test windows of tinystories");
        assertThat(refusal("--pretrained", model.toString(), "--context", "256", "--windows", "1", "--data-dir",
                data.toString(), "--peer", data.resolve("no-such-peer.py").toString()))
                .contains("peer script", "no-such-peer.py does not exist");
        assertThat(refusal("--pretrained", model.toString(), "--context", "256", "--windows", "1", "--data-dir",
                data.toString(), "--peer", model.toString(), "--python", "/nonexistent/python3"))
                .contains("cannot run /nonexistent/python3 for the PyTorch peer", "--python");
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute(args)).as(err.toString()).isZero();
        return out.toString();
    }

    /** What bench says on standard error for {@code args}, after checking that it exits with status 2. */
    private static String refusal(String... args) {
        CommandLine cli = new CommandLine(new BenchCommand());
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setExecutionExceptionHandler((e, c, p) -> {
            c.getErr().println(e.getMessage());
            return 2;
        });
        assertThat(cli.execute(args)).isEqualTo(2);
        return err.toString();
    }

    private static JsonNode find(List<JsonNode> lines, String engine, String metric, int threads) {
        return lines.stream().filter(n -> n.get("engine").asText().equals(engine)
                && n.get("metric").asText().equals(metric) && n.get("threads").asInt() == threads).findFirst()
                .orElseThrow(() -> new AssertionError("no " + engine + " " + metric + " at " + threads + " threads in "
                        + lines));
    }

    /** {@code BONSAI_PYTHON}, {@code python3} or {@code /usr/bin/python3}: the first that imports torch and numpy. */
    private static String pythonWithTorch() {
        List<String> candidates = new ArrayList<>();
        String configured = System.getenv("BONSAI_PYTHON");
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured);
        }
        candidates.add("python3");
        candidates.add("/usr/bin/python3");
        for (String candidate : candidates) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import torch, numpy").redirectErrorStream(true)
                        .start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException e) {
                // not installed under that name: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }
}
