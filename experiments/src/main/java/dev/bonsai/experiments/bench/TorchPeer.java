package dev.bonsai.experiments.bench;

import dev.bonsai.api.BonsaiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PyTorch yardstick: runs the peer script (LeNet-300-100 training at a batch size, one thread, OpenBLAS
 * pinned to one thread as its header asks) and reads the samples per second it prints.
 */
public final class TorchPeer {
    private static final Pattern RESULT = Pattern.compile("([0-9.]+) samples/s");

    private TorchPeer() {
    }

    /** Runs {@code script} with {@code python} and returns its training samples per second. */
    public static double trainSamplesPerSecond(String python, Path script, int batch, int threads) {
        if (!Files.isRegularFile(script)) {
            throw new BonsaiException("peer script " + script + " does not exist");
        }
        ProcessBuilder pb = new ProcessBuilder(List.of(python, script.toString(), "--threads", Integer.toString(threads),
                "--batch", Integer.toString(batch))).redirectErrorStream(true);
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        try {
            Process process = pb.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new BonsaiException("peer " + script + " failed (install PyTorch for " + python
                        + ", e.g. Debian's python3-torch and libopenblas0-pthread):\n" + output.strip());
            }
            Matcher m = RESULT.matcher(output);
            if (!m.find()) {
                throw new BonsaiException("peer " + script + " printed no 'N samples/s' line:\n" + output.strip());
            }
            return Double.parseDouble(m.group(1));
        } catch (IOException e) {
            throw new BonsaiException("cannot run " + python + " " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BonsaiException("interrupted while running the peer " + script, e);
        }
    }
}
