package dev.bonsai.api.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Whether this host shows an NVIDIA GPU to the process, without loading any native library: what an engine's
 * cheap {@link ComputeEngine#availability(String)} can ask before it says why {@code cuda} is unavailable.
 */
public final class NvidiaGpus {
    private NvidiaGpus() {
    }

    /**
     * Whether a GPU is visible: none when {@code CUDA_VISIBLE_DEVICES} hides them all, otherwise one when the
     * driver lists a GPU under {@code /proc/driver/nvidia/gpus} or {@code /dev/nvidia0} exists.
     */
    public static boolean visible() {
        String visible = System.getenv("CUDA_VISIBLE_DEVICES");
        if (visible != null) {
            String v = visible.trim();
            if (v.isEmpty() || v.equals("-1") || v.equalsIgnoreCase("NoDevFiles")) {
                return false;
            }
        }
        Path gpus = Path.of("/proc/driver/nvidia/gpus");
        if (Files.isDirectory(gpus)) {
            try (Stream<Path> entries = Files.list(gpus)) {
                if (entries.findAny().isPresent()) {
                    return true;
                }
            } catch (IOException e) {
                // unreadable: fall back to the device file
            }
        }
        return Files.exists(Path.of("/dev/nvidia0"));
    }
}
