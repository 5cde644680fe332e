package dev.bonsai.engine.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.bonsai.api.BonsaiException;
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

/**
 * The loaded DJL / PyTorch engine: builds {@link DjlNetwork networks} on {@code cpu} or {@code cuda}. Closing it
 * closes every network it built and releases their native memory.
 */
public final class DjlRuntime implements EngineRuntime {
    private static final Logger LOG = LogManager.getLogger(DjlRuntime.class);

    private final Engine engine;
    private final PtNDManager root;
    private final Set<DjlNetwork> open = Collections.newSetFromMap(new IdentityHashMap<>());
    private final IntraOpThreads threads;
    private boolean closed;

    DjlRuntime(DjlOptions options) {
        Objects.requireNonNull(options, "options");
        this.engine = Natives.load();
        this.threads = threads(options.threads());
        threads.apply();
        this.root = (PtNDManager) engine.newBaseManager(Device.cpu());
        LOG.debug("djl runtime: {}, {} intra-op threads{}", versions(), JniUtils.getNumThreads(),
                threads.adaptive() ? " (fewer while its threads wait for cores)" : "");
    }

    /**
     * The intra-op threads for {@code threads} of the options: that many when positive; for 0, PyTorch's own count
     * where the user set one ({@code OMP_NUM_THREADS} in the environment or the {@code ai.djl.pytorch.num_threads}
     * system property), and else one per core, fewer while this process's threads wait for cores.
     */
    private static IntraOpThreads threads(int threads) {
        if (threads > 0) {
            return IntraOpThreads.fixed(threads, JniUtils::setNumThreads);
        }
        String env = System.getenv("OMP_NUM_THREADS");
        if ((env != null && !env.isBlank()) || System.getProperty("ai.djl.pytorch.num_threads") != null) {
            return IntraOpThreads.unmanaged();
        }
        return IntraOpThreads.adaptive(Runtime.getRuntime().availableProcessors(), RunQueueWait::read,
                System::nanoTime, JniUtils::setNumThreads);
    }

    /** The intra-op threads of this runtime's networks: each network {@link IntraOpThreads#apply() applies} them. */
    IntraOpThreads threads() {
        return threads;
    }

    @Override
    public String engineId() {
        return DjlEngine.ID;
    }

    @Override
    public String versions() {
        String flavor = engine.hasCapability(StandardCapabilities.CUDA) ? "cuda" : "cpu";
        return "DJL " + Engine.getDjlVersion() + ", PyTorch " + engine.getVersion() + " (" + flavor + ")";
    }

    @Override
    public synchronized DjlNetwork build(ModelSpec spec, Weights initial, String device) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(device, "device");
        if (closed) {
            throw new IllegalStateException("the djl runtime is closed");
        }
        checkLayers(spec);
        Device d = Natives.device(device);
        try {
            initial.checkMatches(spec);
        } catch (IllegalArgumentException e) {
            throw new BonsaiException("cannot build model '" + spec.name() + "' on djl: " + e.getMessage(), e);
        }
        PtNDManager manager = root.newSubManager(d);
        try {
            DjlNetwork network = new DjlNetwork(this, spec, initial, device, d, manager);
            open.add(network);
            return network;
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Refuses a model with a layer this engine cannot run, naming the layer and its kind. */
    static void checkLayers(ModelSpec spec) {
        checkLayers(spec, DjlEngine.supported());
    }

    /**
     * Refuses a model with a layer (at any depth: residual bodies included) whose kind is not in {@code supported},
     * naming the layer and its kind.
     */
    static void checkLayers(ModelSpec spec, Set<Class<? extends LayerSpec>> supported) {
        checkLayers(spec, spec.layers(), supported);
    }

    private static void checkLayers(ModelSpec spec, List<LayerSpec> layers, Set<Class<? extends LayerSpec>> supported) {
        for (LayerSpec layer : layers) {
            if (!supported.contains(layer.getClass())) {
                throw new BonsaiException("engine djl cannot run layer '" + layer.name() + "' (" + layer.kind()
                        + ") of model '" + spec.name() + "'");
            }
            if (layer instanceof LayerSpec.Residual r) {
                checkLayers(spec, r.body(), supported);
            }
        }
    }

    synchronized void closed(DjlNetwork network) {
        open.remove(network);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (DjlNetwork network : new ArrayList<>(open)) {
            network.close();
        }
        open.clear();
        root.close();
    }
}
