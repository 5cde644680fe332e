package dev.bonsai.engine.dl4j;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.engine.Availability;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Weights;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The loaded Deeplearning4j / ND4J engine: builds {@link Dl4jNetwork networks} on the device of ND4J's backend.
 * Closing it closes every network it built.
 */
public final class Dl4jRuntime implements EngineRuntime {
    private static final Logger LOG = LogManager.getLogger(Dl4jRuntime.class);

    private final Dl4jEngine engine = new Dl4jEngine();
    private final String backendDevice;
    private final Set<Dl4jNetwork> open = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    Dl4jRuntime(Dl4jOptions options) {
        Objects.requireNonNull(options, "options");
        this.backendDevice = Dl4jNatives.load();
        if (options.threads() > 0) {
            Nd4j.getEnvironment().setMaxThreads(options.threads());
            Nd4j.getEnvironment().setMaxMasterThreads(options.threads());
        }
        LOG.debug("dl4j runtime: {}, {} threads", versions(), Nd4j.getEnvironment().maxThreads());
    }

    @Override
    public String engineId() {
        return Dl4jEngine.ID;
    }

    @Override
    public String versions() {
        return "Deeplearning4j/ND4J 1.0.0-M2.1 (" + Nd4j.getBackend().getClass().getSimpleName() + ", " + backendDevice
                + ")";
    }

    @Override
    public synchronized Dl4jNetwork build(ModelSpec spec, Weights initial, String device) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(device, "device");
        if (closed) {
            throw new IllegalStateException("the dl4j runtime is closed");
        }
        checkLayers(spec, spec.layers());
        if (!Dl4jEngine.DEVICES.contains(device)) {
            throw new BonsaiException("engine dl4j has no device '" + device + "'; its devices are "
                    + Dl4jEngine.DEVICES);
        }
        Availability availability = engine.availability(device);
        if (!availability.available()) {
            throw new BonsaiException("device '" + device + "' of engine dl4j is unavailable: "
                    + availability.reason());
        }
        try {
            initial.checkMatches(spec);
        } catch (IllegalArgumentException e) {
            throw new BonsaiException("cannot build model '" + spec.name() + "' on dl4j: " + e.getMessage(), e);
        }
        Dl4jNetwork network = new Dl4jNetwork(this, spec, initial, device);
        open.add(network);
        return network;
    }

    /** Refuses a layer (at any depth) this engine cannot run, naming it, its kind and the engines that can. */
    private void checkLayers(ModelSpec spec, List<LayerSpec> layers) {
        for (LayerSpec layer : layers) {
            if (!engine.supportedLayers().contains(layer.getClass())) {
                throw new BonsaiException("engine dl4j cannot run layer '" + layer.name() + "' (" + layer.kind()
                        + ") of model '" + spec.name() + "': it runs " + Dl4jEngine.supportedKinds()
                        + "; choose an engine that runs it (bonsai engines lists them)");
            }
            if (layer instanceof LayerSpec.Residual r) {
                checkLayers(spec, r.body());
            }
        }
    }

    synchronized void closed(Dl4jNetwork network) {
        open.remove(network);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Dl4jNetwork network : new ArrayList<>(open)) {
            network.close();
        }
        open.clear();
    }
}
