package dev.bonsai.experiments.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bonsai.api.BonsaiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PyTorch yardsticks: runs a peer script with one thread, OpenBLAS pinned to one thread as its header asks, and
 * reads what it prints: {@code torch_lenet.py}'s training samples per second, or {@code torch_llama.py}'s dense
 * evaluation of a llama2.c model (perplexity and tokens per second).
 */
public final class TorchPeer {
    private static final Pattern RESULT = Pattern.compile("([0-9.]+) samples/s");
    private static final ObjectMapper JSON = new ObjectMapper();

    private TorchPeer() {
    }

    /**
     * The peer's dense evaluation of a language model.
     *
     * @param perplexity      its {@code test_ppl}
     * @param tokensPerSecond its {@code eval_tokens_per_s}: windows × window tokens per second
     * @param windows         its {@code test_windows}
     * @param predictions     its {@code test_tokens}: the predictions the perplexity is over
     */
    public record LanguageModelEvaluation(double perplexity, double tokensPerSecond, int windows, long predictions) {
    }

    /** Runs {@code script} with {@code python} and returns its training samples per second. */
    public static double trainSamplesPerSecond(String python, Path script, int batch, int threads) {
        String output = run(python, script, List.of("--threads", Integer.toString(threads),
                "--batch", Integer.toString(batch)));
        Matcher m = RESULT.matcher(output);
        if (!m.find()) {
            throw new BonsaiException("peer " + script + " printed no 'N samples/s' line:\n" + output.strip());
        }
        return Double.parseDouble(m.group(1));
    }

    /**
     * Runs the language-model peer {@code script} ({@code torch_llama.py}) on the dense model: the test windows of
     * {@code context} tokens of {@code text} (its tinystories protocol), the first {@code windows} of them when
     * positive, else all, {@code batch} windows per forward pass.
     *
     * @param model a folder with one llama2.c {@code .bin} and its {@code tok*.bin}
     */
    public static LanguageModelEvaluation evaluate(String python, Path script, Path model, Path text, int context,
            int windows, int batch, int threads) {
        List<String> args = new ArrayList<>(List.of("--model", model.toString(), "--text", text.toString(),
                "--method", "dense", "--ctx", Integer.toString(context), "--batch", Integer.toString(batch),
                "--threads", Integer.toString(threads)));
        if (windows > 0) {
            args.addAll(List.of("--max-test-windows", Integer.toString(windows)));
        }
        String output = run(python, script, args);
        for (String line : output.split("\n")) {
            if (!line.startsWith("{")) {
                continue;
            }
            try {
                JsonNode record = JSON.readTree(line);
                if (record.has("test_ppl") && record.has("eval_tokens_per_s")) {
                    return new LanguageModelEvaluation(record.get("test_ppl").asDouble(),
                            record.get("eval_tokens_per_s").asDouble(), record.get("test_windows").asInt(),
                            record.get("test_tokens").asLong());
                }
            } catch (IOException e) {
                throw new BonsaiException("peer " + script + " printed a line that is not JSON: " + line, e);
            }
        }
        throw new BonsaiException("peer " + script + " printed no JSON line with test_ppl and eval_tokens_per_s:\n"
                + output.strip());
    }

    /**
     * Checks that {@code python} imports PyTorch and numpy, which the peers need, before any work is measured.
     *
     * @throws BonsaiException saying what to install, or which Python to name, when it does not
     */
    public static void requireTorch(String python) {
        ProcessBuilder pb = new ProcessBuilder(List.of(python, "-c", "import torch, numpy")).redirectErrorStream(true);
        try {
            Process process = pb.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new BonsaiException("the PyTorch peer needs torch and numpy, which " + python + " cannot "
                        + "import: install them (Debian: python3-torch python3-numpy libopenblas0-pthread) or name "
                        + "a Python that has them with --python:\n" + output.strip());
            }
        } catch (IOException e) {
            throw new BonsaiException("cannot run " + python + " for the PyTorch peer (" + e.getMessage() + "): "
                    + "install python3 with torch and numpy, or name one with --python", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BonsaiException("interrupted while checking " + python + " for PyTorch", e);
        }
    }

    /** Runs {@code script} with {@code args}, returning its output (standard error with it) when it succeeds. */
    private static String run(String python, Path script, List<String> args) {
        if (!Files.isRegularFile(script)) {
            throw new BonsaiException("peer script " + script + " does not exist");
        }
        List<String> command = new ArrayList<>(List.of(python, script.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        try {
            Process process = pb.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new BonsaiException("peer " + script + " failed (it needs PyTorch and numpy for " + python
                        + ", e.g. Debian's python3-torch, python3-numpy and libopenblas0-pthread; --python names "
                        + "another Python):\n" + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new BonsaiException("cannot run " + python + " " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BonsaiException("interrupted while running the peer " + script, e);
        }
    }
}
