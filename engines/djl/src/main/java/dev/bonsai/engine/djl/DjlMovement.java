package dev.bonsai.engine.djl;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.bonsai.api.engine.MovementProbe;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.Weights;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link MovementProbe} on the device: one float32 sum per trainable parameter, updated in place after every backward
 * pass of {@link DjlNetwork#train} by {@code S -= W ⊙ G} (two native operations per parameter, no host copy).
 */
final class DjlMovement implements MovementProbe {
    private final Parameters parameters;
    private final PtNDManager owner;
    private final Device device;
    private PtNDManager manager;
    private PtNDArray[] sums;
    private long steps;

    DjlMovement(Parameters parameters, PtNDManager owner, Device device) {
        this.parameters = parameters;
        this.owner = owner;
        this.device = device;
    }

    @Override
    public void start() {
        stop();
        manager = owner.newSubManager(device);
        sums = new PtNDArray[parameters.size()];
        for (int i = 0; i < sums.length; i++) {
            if (parameters.trainable(i)) {
                sums[i] = JniUtils.createZerosNdArray(manager, parameters.value(i).getShape(), DataType.FLOAT32, device,
                        SparseFormat.DENSE);
            }
        }
        steps = 0;
    }

    @Override
    public void stop() {
        if (manager != null) {
            manager.close();
        }
        manager = null;
        sums = null;
        steps = 0;
    }

    @Override
    public boolean started() {
        return sums != null;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public Weights scores() {
        if (sums == null) {
            throw new IllegalStateException("movement scores were not started; call start() before training");
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < sums.length; i++) {
            if (sums[i] != null) {
                out.put(parameters.spec(i).name(), new Tensor(parameters.spec(i).shape(), Nd.download(sums[i])));
            }
        }
        return new Weights(out);
    }

    /**
     * Adds −W ⊙ G for the gradients now in the parameters' slots (grad mode off), when started; parameters without a
     * gradient (frozen) add nothing.
     */
    void accumulate() {
        if (sums == null) {
            return;
        }
        for (int i = 0; i < sums.length; i++) {
            PtNDArray g = parameters.grad(i);
            if (sums[i] != null && g != null) {
                try (PtNDArray product = JniUtils.mul(parameters.value(i), g)) {
                    JniUtils.subi(sums[i], product);
                }
            }
        }
        steps++;
    }
}
