package dev.bonsai.engine.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.JniUtils;
import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.engine.Availability;
import dev.bonsai.api.engine.NvidiaGpus;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Where PyTorch's native libraries come from, whether a device can be used, and the one place that loads them.
 *
 * <p>Availability answers are cheap: they read a properties file from the class path, environment variables and
 * {@code /proc} or {@code /dev} entries, and never load a native library unless the engine is already loaded.
 */
final class Natives {
    private static final Logger LOG = LogManager.getLogger(Natives.class);

    /** DJL's name of its PyTorch engine. */
    static final String ENGINE_NAME = "PyTorch";
    /** The resource the {@code pytorch-native-*} jars carry. */
    static final String NATIVE_PROPERTIES = "native/lib/pytorch.properties";
    /** The environment variable (or system property) naming a local libtorch. */
    static final String LIBRARY_PATH = "PYTORCH_LIBRARY_PATH";

    private static volatile Engine engine;
    private static volatile Availability classPathNative;

    private Natives() {
    }

    /** Loads PyTorch once per JVM; never downloads. */
    static Engine load() {
        Engine loaded = engine;
        if (loaded != null) {
            return loaded;
        }
        synchronized (Natives.class) {
            if (engine == null) {
                Availability cpu = cpu();
                if (!cpu.available()) {
                    throw new BonsaiException("engine djl cannot start: " + cpu.reason());
                }
                forbidNetwork();
                long start = System.nanoTime();
                try {
                    Engine e = Engine.getEngine(ENGINE_NAME);
                    // PyTorch's grad mode is per thread and on by default; Bonsai sets it explicitly around work.
                    JniUtils.setGradMode(false);
                    engine = e;
                    LOG.debug("loaded PyTorch {} in {} ms", e.getVersion(), (System.nanoTime() - start) / 1_000_000);
                } catch (RuntimeException | LinkageError e) {
                    throw new BonsaiException("engine djl could not load PyTorch's native libraries: " + e.getMessage()
                            + ". Check that ai.djl.pytorch:pytorch-native-cpu and pytorch-jni (or PYTORCH_LIBRARY_PATH)"
                            + " match DJL " + Engine.getDjlVersion()
                            + "; Bonsai never downloads natives at run time", e);
                }
            }
            return engine;
        }
    }

    /** Whether {@link #load()} has succeeded in this JVM. */
    static boolean loaded() {
        return engine != null;
    }

    /**
     * Makes DJL work offline: no native download and no EC2 "call home". Settings the user made explicitly are
     * kept.
     */
    private static void forbidNetwork() {
        if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("OPT_OUT_TRACKING") == null && System.getenv("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }

    /** Whether the CPU device can be used: a PyTorch native for this platform is on the class path or configured. */
    static Availability cpu() {
        if (loaded()) {
            return Availability.yes();
        }
        String override = setting(LIBRARY_PATH);
        if (override != null && !override.isBlank()) {
            for (String dir : override.split(File.pathSeparator)) {
                if (Files.isRegularFile(Path.of(dir, System.mapLibraryName("torch")))) {
                    return Availability.yes();
                }
            }
            return Availability.no(LIBRARY_PATH + " is set to '" + override + "' but no "
                    + System.mapLibraryName("torch") + " is there; point it at the lib directory of libtorch 2.7.1");
        }
        Availability cached = classPathNative;
        if (cached == null) {
            cached = classPathNative();
            classPathNative = cached;
        }
        return cached;
    }

    /** Whether the class path holds a PyTorch native jar for this platform (reads one small resource). */
    private static Availability classPathNative() {
        URL url = Natives.class.getClassLoader().getResource(NATIVE_PROPERTIES);
        if (url == null) {
            return Availability.no("no PyTorch native library on the class path: add"
                    + " ai.djl.pytorch:pytorch-native-cpu:2.7.1 with the classifier for this platform ("
                    + platform() + "), or set " + LIBRARY_PATH + " to a libtorch 2.7.1 lib directory;"
                    + " Bonsai never downloads natives at run time");
        }
        Properties properties = new Properties();
        try (InputStream in = url.openStream()) {
            properties.load(in);
        } catch (IOException e) {
            return Availability.no("cannot read " + url + ": " + e.getMessage());
        }
        String classifier = properties.getProperty("classifier", "");
        if (!classifier.equals(platform())) {
            return Availability.no("the PyTorch native jar on the class path is for " + classifier + " but this machine is "
                    + platform() + ": use the pytorch-native-cpu jar with classifier " + platform());
        }
        return Availability.yes();
    }

    /** Whether the CUDA device can be used; loads nothing unless PyTorch is loaded already. */
    static Availability cuda() {
        if (loaded()) {
            Engine e = engine;
            if (!e.hasCapability(StandardCapabilities.CUDA)) {
                return Availability.no("the loaded PyTorch " + e.getVersion() + " is a CPU-only build: " + cudaAdvice()
                        + ", then restart; or use device 'cpu'");
            }
            if (e.getGpuCount() <= 0) {
                return Availability.no("the loaded PyTorch supports CUDA but sees no GPU (check the driver and"
                        + " CUDA_VISIBLE_DEVICES); use device 'cpu'");
            }
            return Availability.yes();
        }
        if (!NvidiaGpus.visible()) {
            return Availability.no("no NVIDIA GPU is visible here (no /proc/driver/nvidia/gpus entry or /dev/nvidia0,"
                    + " or CUDA_VISIBLE_DEVICES hides them), so use device 'cpu'. On a machine with a GPU, cuda also"
                    + " needs a CUDA build of PyTorch: " + cudaAdvice());
        }
        String override = setting(LIBRARY_PATH);
        if (override == null || override.isBlank()) {
            return Availability.no("a GPU is visible but only the CPU build of PyTorch is on the class path: "
                    + cudaAdvice() + "; or use device 'cpu'");
        }
        for (String dir : override.split(File.pathSeparator)) {
            if (Files.isRegularFile(Path.of(dir, System.mapLibraryName("torch_cuda")))) {
                return Availability.yes();
            }
        }
        return Availability.no(LIBRARY_PATH + " is '" + override + "' but holds no " + System.mapLibraryName("torch_cuda")
                + " (a CPU-only libtorch): " + cudaAdvice() + "; or use device 'cpu'");
    }

    private static String cudaAdvice() {
        return "DJL 0.36 has no CUDA natives on Maven Central and Bonsai never downloads at run time;"
                + " install libtorch 2.7.1 for CUDA 12.8 (cu128) and set " + LIBRARY_PATH + " to its lib directory"
                + " (and PYTORCH_FLAVOR=cu128)";
    }

    /** The DJL device for a Bonsai device name, or an error that says why it cannot be used. */
    static Device device(String name) {
        switch (name) {
            case "cpu" -> {
                Availability a = cpu();
                if (!a.available()) {
                    throw new BonsaiException("device 'cpu' of engine djl is unavailable: " + a.reason());
                }
                return Device.cpu();
            }
            case "cuda" -> {
                Availability a = cuda();
                if (!a.available()) {
                    throw new BonsaiException("device 'cuda' of engine djl is unavailable: " + a.reason());
                }
                return Device.gpu(0);
            }
            default -> throw new BonsaiException("engine djl has no device '" + name + "'; its devices are "
                    + DjlEngine.DEVICES);
        }
    }

    /** DJL's platform classifier of this machine, for example {@code linux-x86_64}. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "osx" : os.startsWith("win") ? "win" : os;
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("arm64") ? "aarch64" : arch;
        return o + "-" + a;
    }

    private static String setting(String name) {
        String value = System.getenv(name);
        return value != null ? value : System.getProperty(name);
    }
}
