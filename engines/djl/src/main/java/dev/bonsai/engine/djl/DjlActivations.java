package dev.bonsai.engine.djl;

import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.ActivationProbe;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Native {@link ActivationProbe}: one forward pass in evaluation mode, without a graph, with a tap that copies the
 * outputs of the named layers to the host as the pass computes them. A name the pass never reports is an error
 * naming the layers it did report.
 */
final class DjlActivations implements ActivationProbe {
    private final DjlForwardPass pass;

    DjlActivations(DjlForwardPass pass) {
        this.pass = Objects.requireNonNull(pass, "pass");
    }

    @Override
    public Map<String, Tensor> activations(Batch batch, Set<String> layerNames) {
        Objects.requireNonNull(batch, "batch");
        Map<String, Tensor> out = new LinkedHashMap<>();
        if (layerNames.isEmpty()) {
            return out;
        }
        Map<String, Tensor> seen = new LinkedHashMap<>();
        boolean gradMode = JniUtils.isGradMode();
        try {
            JniUtils.setGradMode(false);
            pass.forward(batch, false, (name, array) -> {
                if (layerNames.contains(name)) {
                    seen.put(name, new Tensor(shape(array), Nd.download(array)));
                } else {
                    seen.putIfAbsent(name, null);
                }
            });
        } finally {
            pass.release();
            JniUtils.setGradMode(gradMode);
        }
        for (String name : layerNames) {
            Tensor t = seen.get(name);
            if (t == null) {
                throw new BonsaiException("model '" + pass.spec().name() + "' has no layer output named '" + name
                        + "'; the forward pass reports " + seen.keySet());
            }
            out.put(name, t);
        }
        return out;
    }

    private static Shape shape(PtNDArray array) {
        long[] dims = array.getShape().getShape();
        int[] out = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            out[i] = Math.toIntExact(dims[i]);
        }
        return Shape.of(out);
    }
}
