package dev.bonsai.engine.dl4j;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.engine.Availability;
import dev.bonsai.api.engine.NvidiaGpus;
import java.util.Locale;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which ND4J backend is on the class path, whether a device can be used, and the one place that loads ND4J.
 *
 * <p>ND4J runs one backend per process, chosen when it loads: {@code nd4j-native} (device {@code cpu}) or
 * {@code nd4j-cuda-11.6} (device {@code cuda}, selected at build time with {@code -Pdl4j-cuda}). Availability answers
 * look only at class-path resources and {@code /proc} or {@code /dev} entries, and never load a native library unless
 * ND4J is loaded already.
 */
final class Dl4jNatives {
    private static final Logger LOG = LogManager.getLogger(Dl4jNatives.class);

    /** The CPU backend's class, in {@code nd4j-native}. */
    static final String CPU_BACKEND = "org/nd4j/linalg/cpu/nativecpu/CpuBackend.class";
    /** The CUDA backend's class, in {@code nd4j-cuda-11.6}. */
    static final String CUDA_BACKEND = "org/nd4j/linalg/jcublas/JCublasBackend.class";

    private static volatile boolean loaded;

    private Dl4jNatives() {
    }

    /** Loads ND4J once per JVM and returns its backend's device, {@code cpu} or {@code cuda}. */
    static String load() {
        if (!loaded) {
            synchronized (Dl4jNatives.class) {
                if (!loaded) {
                    Availability any = backendPresent();
                    if (!any.available()) {
                        throw new BonsaiException("engine dl4j cannot start: " + any.reason());
                    }
                    long start = System.nanoTime();
                    try {
                        Nd4j.create(1);
                    } catch (RuntimeException | LinkageError e) {
                        throw new BonsaiException("engine dl4j could not load ND4J's native libraries: "
                                + e.getMessage()
                                + ". Check that org.nd4j:nd4j-native (or nd4j-cuda-11.6) 1.0.0-M2.1 with classifier "
                                + platform() + " is on the class path", e);
                    }
                    loaded = true;
                    LOG.debug("loaded ND4J backend {} in {} ms", Nd4j.getBackend().getClass().getSimpleName(),
                            (System.nanoTime() - start) / 1_000_000);
                }
            }
        }
        return loadedDevice();
    }

    /** The device of the loaded backend. */
    static String loadedDevice() {
        return Nd4j.getBackend().getClass().getSimpleName().toLowerCase(Locale.ROOT).contains("cublas") ? "cuda"
                : "cpu";
    }

    private static Availability backendPresent() {
        if (resource(CPU_BACKEND) || resource(CUDA_BACKEND)) {
            return Availability.yes();
        }
        return Availability.no("no ND4J backend on the class path: add org.nd4j:nd4j-native:1.0.0-M2.1 and its"
                + " natives (classifier " + platform() + "), or build with -Pdl4j-cuda for nd4j-cuda-11.6");
    }

    /** Whether the CPU device can be used: ND4J's CPU backend is on the class path (and no CUDA backend shadows it). */
    static Availability cpu() {
        if (loaded) {
            return loadedDevice().equals("cpu") ? Availability.yes()
                    : Availability.no("ND4J loaded its CUDA backend in this process and runs one backend per process;"
                            + " build without -Pdl4j-cuda to run dl4j on the cpu");
        }
        if (!resource(CPU_BACKEND)) {
            return Availability.no("ND4J's CPU backend (org.nd4j:nd4j-native:1.0.0-M2.1, classifier " + platform()
                    + ") is not on the class path" + (resource(CUDA_BACKEND)
                            ? ": this build carries the CUDA backend (-Pdl4j-cuda); ND4J runs one backend per process"
                            : ""));
        }
        if (resource(CUDA_BACKEND)) {
            return Availability.no("both ND4J backends are on the class path and ND4J would pick CUDA; keep only"
                    + " nd4j-native to run dl4j on the cpu");
        }
        return Availability.yes();
    }

    /** Whether the CUDA device can be used: the CUDA backend is on the class path and a GPU is visible. */
    static Availability cuda() {
        if (loaded) {
            return loadedDevice().equals("cuda") ? Availability.yes()
                    : Availability.no("ND4J loaded its CPU backend in this process; " + cudaAdvice());
        }
        if (!resource(CUDA_BACKEND)) {
            return Availability.no("ND4J's CUDA backend is not on the class path: " + cudaAdvice());
        }
        if (!NvidiaGpus.visible()) {
            return Availability.no("the ND4J CUDA backend is on the class path but no NVIDIA GPU is visible here (no"
                    + " /proc/driver/nvidia/gpus entry or /dev/nvidia0, or CUDA_VISIBLE_DEVICES hides them)");
        }
        return Availability.yes();
    }

    private static String cudaAdvice() {
        return "build Bonsai with -Pdl4j-cuda (org.nd4j:nd4j-cuda-11.6:1.0.0-M2.1, the newest CUDA build of ND4J; it"
                + " needs a CUDA 11.6 runtime, and CUDA 11.6 predates Hopper GPUs such as the H100, so use the djl"
                + " engine there); or use device 'cpu'";
    }

    private static boolean resource(String name) {
        return Dl4jNatives.class.getClassLoader().getResource(name) != null;
    }

    /** The platform classifier of this machine, for example {@code linux-x86_64}. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux"
                : os.startsWith("mac") ? "macosx" : os.startsWith("win") ? "windows" : os;
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("aarch64") ? "arm64" : arch;
        return o + "-" + a;
    }
}
