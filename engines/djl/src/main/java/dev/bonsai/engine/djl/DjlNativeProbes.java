package dev.bonsai.engine.djl;

import ai.djl.Device;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.ActivationProbe;
import dev.bonsai.api.engine.Capability;
import dev.bonsai.api.engine.HessianVectorProbe;
import dev.bonsai.api.engine.LayerInputMagnitudeProbe;
import dev.bonsai.api.engine.SquaredGradientProbe;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The native probes of a {@link DjlNetwork} beyond its gradients: {@link HessianVectorProbe} ({@link
 * DjlHessianVector}), {@link SquaredGradientProbe} for dense models ({@link DjlSquaredGradients}) and
 * {@link ActivationProbe} ({@link DjlActivations}) and {@link LayerInputMagnitudeProbe}
 * ({@link DjlLayerInputMagnitudes}, for models without grouped-query attention or feed-forward layers, whose
 * projections' inputs the generic probe reads from the tap), on the network's tapped forward pass. The curvature estimators (Fisher,
 * Gauss–Newton, Hutchinson) and the layer-input sums of squares and Gram matrices come from the core's generic paths
 * built on these.
 */
final class DjlNativeProbes implements DjlForwardPass {
    private final DjlNetwork network;
    private final PtNDManager manager;
    private final Device device;

    private DjlNativeProbes(DjlNetwork network, PtNDManager manager, Device device) {
        this.network = network;
        this.manager = manager;
        this.device = device;
    }

    /** The native probe of {@code type} for {@code network}, if djl has one beyond the gradient probe. */
    static <C extends Capability> Optional<C> capability(DjlNetwork network, PtNDManager manager, Device device,
            Class<C> type) {
        if (type == HessianVectorProbe.class) {
            return Optional.of(type.cast(new DjlHessianVector(new DjlNativeProbes(network, manager, device))));
        }
        if (type == SquaredGradientProbe.class) {
            return DjlSquaredGradients.supports(network.spec())
                    ? Optional.of(type.cast(new DjlSquaredGradients(network, manager, device))) : Optional.empty();
        }
        if (type == ActivationProbe.class) {
            return Optional.of(type.cast(new DjlActivations(new DjlNativeProbes(network, manager, device))));
        }
        if (type == LayerInputMagnitudeProbe.class) {
            // the projections inside grouped-query attention and feed-forward layers take inputs no layer outputs:
            // the generic probe reads them from the forward tap, this one covers dense and conv2d layers only
            return decoderLayers(network.spec().layers()) ? Optional.empty()
                    : Optional.of(type.cast(new DjlLayerInputMagnitudes(new DjlNativeProbes(network, manager,
                            device))));
        }
        return Optional.empty();
    }

    private static boolean decoderLayers(List<LayerSpec> layers) {
        for (LayerSpec layer : layers) {
            if (layer instanceof LayerSpec.Attention || layer instanceof LayerSpec.FeedForward
                    || layer instanceof LayerSpec.DecoderBlock
                    || layer instanceof LayerSpec.Residual r && decoderLayers(r.body())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public ModelSpec spec() {
        return network.spec();
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public PtNDManager manager() {
        return manager;
    }

    @Override
    public Parameters parameters() {
        return network.parameters();
    }

    @Override
    public PtNDArray forward(Batch batch, boolean training, BiConsumer<String, PtNDArray> tap) {
        return network.forwardTapped(batch.features().data(), batch.size(), training, tap);
    }

    @Override
    public boolean tapsLayers() {
        return true;
    }

    @Override
    public void release() {
        network.releaseStep();
    }
}
