package dev.bonsai.engine.djl;

import dev.bonsai.api.Spi;
import dev.bonsai.api.engine.Availability;
import dev.bonsai.api.engine.Capability;
import dev.bonsai.api.engine.GradientProbe;
import dev.bonsai.api.engine.HessianVectorProbe;
import dev.bonsai.api.engine.CurvatureProbe;
import dev.bonsai.api.engine.ActivationProbe;
import dev.bonsai.api.engine.MovementProbe;
import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.model.LayerSpec;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The DJL / PyTorch engine: id {@code djl}, rank 100, devices {@code cpu} and {@code cuda}.
 *
 * <p>Metadata and {@link #availability} are cheap and load no native library. {@link #create} loads PyTorch
 * (once per JVM) from the class path's {@code pytorch-native-cpu} jar or from {@code PYTORCH_LIBRARY_PATH}, and
 * never downloads anything. CUDA needs a CUDA build of libtorch 2.7.1 configured through
 * {@code PYTORCH_LIBRARY_PATH}, because DJL 0.36 has no CUDA natives on Maven Central.
 */
public final class DjlEngine implements ComputeEngine<DjlOptions> {
    /** The engine's id. */
    public static final String ID = "djl";
    /** The devices it knows. */
    public static final List<String> DEVICES = List.of("cpu", "cuda");

    private static final Set<Class<? extends LayerSpec>> SUPPORTED = Set.of(LayerSpec.Dense.class,
            LayerSpec.Conv2d.class, LayerSpec.Pool2d.class, LayerSpec.BatchNorm.class, LayerSpec.LayerNorm.class,
            LayerSpec.Dropout.class, LayerSpec.Flatten.class, LayerSpec.Activate.class, LayerSpec.Embedding.class,
            LayerSpec.PositionalEmbedding.class, LayerSpec.CausalSelfAttention.class,
            LayerSpec.TransformerBlock.class, LayerSpec.Residual.class, LayerSpec.RmsNorm.class,
            LayerSpec.Attention.class, LayerSpec.FeedForward.class, LayerSpec.DecoderBlock.class,
            LayerSpec.TiedOutput.class);

    /** The engine; ServiceLoader uses this constructor. */
    public DjlEngine() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Deep Java Library 0.36 with PyTorch 2.7 natives from Maven Central: cpu, and cuda with a local libtorch";
    }

    @Override
    public Class<DjlOptions> optionsType() {
        return DjlOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public int rank() {
        return 100;
    }

    @Override
    public List<String> devices() {
        return DEVICES;
    }

    @Override
    public Availability availability(String device) {
        Objects.requireNonNull(device, "device");
        return switch (device) {
            case "cpu" -> Natives.cpu();
            case "cuda" -> Natives.cuda();
            default -> Availability.no("engine djl has no device '" + device + "'; its devices are " + DEVICES);
        };
    }

    @Override
    public Set<Class<? extends LayerSpec>> supportedLayers() {
        return SUPPORTED;
    }

    @Override
    public Set<Class<? extends Capability>> nativeCapabilities() {
        return Set.of(GradientProbe.class, HessianVectorProbe.class, CurvatureProbe.class, ActivationProbe.class,
                MovementProbe.class);
    }

    /** Whether this engine can run {@code layer}. */
    static boolean supported(LayerSpec layer) {
        return SUPPORTED.contains(layer.getClass());
    }

    /** The layer kinds it runs. */
    static Set<Class<? extends LayerSpec>> supported() {
        return SUPPORTED;
    }

    @Override
    public DjlRuntime create(DjlOptions options) {
        return new DjlRuntime(options == null ? DjlOptions.defaults() : options);
    }
}
