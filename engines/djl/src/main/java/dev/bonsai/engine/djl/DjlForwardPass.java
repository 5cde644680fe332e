package dev.bonsai.engine.djl;

import ai.djl.Device;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.model.ModelSpec;
import java.util.function.BiConsumer;

/**
 * What the native probes ({@link DjlHessianVector}, {@link DjlActivations}) need of a network's forward pass. The
 * network (or whatever runs its forward pass) provides it; the probes depend on nothing else of the network.
 */
interface DjlForwardPass {

    /** The model. */
    ModelSpec spec();

    /** The device the parameters live on. */
    Device device();

    /** The network's manager; the probes attach their own arrays to sub-managers of it. */
    PtNDManager manager();

    /** The parameters, with gradients and masks. */
    Parameters parameters();

    /**
     * The logits for {@code batch}, {@code [batch, ...output]}, under the caller's grad mode (so with a graph when
     * grad mode is on). The output and every intermediate stay alive until {@link #release()}.
     *
     * @param batch    host features (and labels, unused here)
     * @param training whether dropout is active
     * @param tap      receives each named layer's output as it is computed, or null; the arrays are the pass's own
     *                 (read them, do not close or modify them)
     * @throws UnsupportedOperationException when a tap is given but this forward pass cannot tap layers
     */
    PtNDArray forward(Batch batch, boolean training, BiConsumer<String, PtNDArray> tap);

    /** Whether {@link #forward} accepts a tap. */
    boolean tapsLayers();

    /** Closes the arrays of the forward passes since the last release. */
    void release();
}
