package dev.bonsai.engine.dl4j;

import dev.bonsai.api.Spi;
import dev.bonsai.api.engine.Availability;
import dev.bonsai.api.engine.Capability;
import dev.bonsai.api.engine.GradientProbe;
import dev.bonsai.api.engine.ActivationProbe;
import dev.bonsai.api.engine.MovementProbe;
import dev.bonsai.api.engine.ComputeEngine;
import dev.bonsai.api.model.LayerSpec;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The Deeplearning4j / ND4J engine: id {@code dl4j}, rank 50 (below {@code djl}), devices {@code cpu} and
 * {@code cuda}.
 *
 * <p>Metadata and {@link #availability} are cheap and load no native library. {@link #create} loads ND4J's backend
 * (once per JVM): {@code nd4j-native} for the CPU, or {@code nd4j-cuda-11.6} when Bonsai is built with
 * {@code -Pdl4j-cuda}. Causal self-attention, transformer blocks, embeddings and positional embeddings are not
 * supported; a model with one is refused at validation, before any work.
 */
public final class Dl4jEngine implements ComputeEngine<Dl4jOptions> {
    /** The engine's id. */
    public static final String ID = "dl4j";
    /** The devices it knows. */
    public static final List<String> DEVICES = List.of("cpu", "cuda");

    private static final Set<Class<? extends LayerSpec>> SUPPORTED = Set.of(LayerSpec.Dense.class,
            LayerSpec.Conv2d.class, LayerSpec.Pool2d.class, LayerSpec.BatchNorm.class, LayerSpec.LayerNorm.class,
            LayerSpec.Dropout.class, LayerSpec.Flatten.class, LayerSpec.Activate.class, LayerSpec.Residual.class,
            LayerSpec.Embedding.class);

    /** The engine; ServiceLoader uses this constructor. */
    public Dl4jEngine() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Deeplearning4j 1.0.0-M2.1's ND4J with natives from Maven Central: cpu, and cuda with -Pdl4j-cuda";
    }

    @Override
    public Class<Dl4jOptions> optionsType() {
        return Dl4jOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public int rank() {
        return 50;
    }

    @Override
    public List<String> devices() {
        return DEVICES;
    }

    @Override
    public Availability availability(String device) {
        Objects.requireNonNull(device, "device");
        return switch (device) {
            case "cpu" -> Dl4jNatives.cpu();
            case "cuda" -> Dl4jNatives.cuda();
            default -> Availability.no("engine dl4j has no device '" + device + "'; its devices are " + DEVICES);
        };
    }

    @Override
    public Set<Class<? extends LayerSpec>> supportedLayers() {
        return SUPPORTED;
    }

    @Override
    public Set<Class<? extends Capability>> nativeCapabilities() {
        return Set.of(GradientProbe.class, ActivationProbe.class, MovementProbe.class);
    }

    /** The supported layer kinds as descriptors name them, for messages. */
    static String supportedKinds() {
        return "dense, conv2d, pool2d, batchnorm, layernorm, dropout, flatten, activations (relu, tanh, sigmoid, gelu),"
                + " residual and embedding";
    }

    @Override
    public Dl4jRuntime create(Dl4jOptions options) {
        return new Dl4jRuntime(options == null ? Dl4jOptions.defaults() : options);
    }
}
