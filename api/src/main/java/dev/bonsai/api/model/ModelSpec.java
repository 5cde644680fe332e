package dev.bonsai.api.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An engine-neutral model: an input shape and layers applied in order. Construction checks that every layer
 * accepts its input and that names are unique, and infers the parameters once.
 */
public final class ModelSpec {
    private final String name;
    private final Shape inputShape;
    private final List<LayerSpec> layers;
    private final Shape outputShape;
    private final Map<String, ParameterSpec> parameters;

    /**
     * A model.
     *
     * @param name       a display name, for example {@code lenet-300-100}
     * @param inputShape one sample's shape, without the batch dimension
     * @param layers     the layers, in order
     * @throws IllegalArgumentException naming the first layer that does not fit or a repeated name
     */
    public ModelSpec(String name, Shape inputShape, List<LayerSpec> layers) {
        this.name = Objects.requireNonNull(name, "name");
        this.inputShape = Objects.requireNonNull(inputShape, "inputShape");
        this.layers = List.copyOf(layers);
        if (this.layers.isEmpty()) {
            throw new IllegalArgumentException("model '" + name + "' has no layers");
        }
        Set<String> names = new HashSet<>();
        Map<String, ParameterSpec> params = new LinkedHashMap<>();
        Shape shape = inputShape;
        for (LayerSpec layer : this.layers) {
            if (!names.add(layer.name())) {
                throw new IllegalArgumentException("model '" + name + "' has two layers named '" + layer.name() + "'");
            }
            for (ParameterSpec p : layer.parameters(shape)) {
                params.put(p.name(), p);
            }
            if (layer instanceof LayerSpec.TiedOutput tied) {
                ParameterSpec embedding = params.get(tied.embedding() + ".weight");
                if (embedding == null || embedding.role() != ParameterRole.EMBEDDING
                        || embedding.shape().dim(0) != tied.vocab() || embedding.shape().dim(1) != shape.dim(-1)) {
                    throw new IllegalArgumentException("model '" + name + "': tied output '" + tied.name()
                            + "' needs an earlier embedding '" + tied.embedding() + "' of [" + tied.vocab() + ", "
                            + shape.dim(-1) + "]" + (embedding == null ? ", but there is none" : ", but it is "
                            + embedding.shape()));
                }
            }
            shape = layer.outputShape(shape);
        }
        this.outputShape = shape;
        this.parameters = Collections.unmodifiableMap(params);
    }

    /** The display name. */
    public String name() {
        return name;
    }

    /** One sample's input shape. */
    public Shape inputShape() {
        return inputShape;
    }

    /** One sample's output shape, for example {@code [10]} for a 10-class classifier. */
    public Shape outputShape() {
        return outputShape;
    }

    /** The layers in order. */
    public List<LayerSpec> layers() {
        return layers;
    }

    /** Every parameter by name, in model order. */
    public Map<String, ParameterSpec> parameters() {
        return parameters;
    }

    /** The parameter named {@code name}, or an error listing the known names. */
    public ParameterSpec parameter(String name) {
        ParameterSpec p = parameters.get(name);
        if (p == null) {
            throw new IllegalArgumentException("model '" + this.name + "' has no parameter '" + name
                    + "'; it has " + parameters.keySet());
        }
        return p;
    }

    /** The parameters with the given role, in model order. */
    public List<ParameterSpec> parameters(ParameterRole role) {
        List<ParameterSpec> out = new ArrayList<>();
        for (ParameterSpec p : parameters.values()) {
            if (p.role() == role) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Every named layer's output shape for one sample, in forward order, the layers nested in residual connections
     * and transformer blocks included under their own names (for example {@code block1.attn}). Distillation
     * recipes name hint layers from these, and hosts check the names before any work.
     */
    public Map<String, Shape> layerOutputs() {
        Map<String, Shape> out = new LinkedHashMap<>();
        outputs(layers, inputShape, out);
        return Collections.unmodifiableMap(out);
    }

    private static Shape outputs(List<LayerSpec> list, Shape input, Map<String, Shape> out) {
        Shape shape = input;
        for (LayerSpec layer : list) {
            if (layer instanceof LayerSpec.TransformerBlock block) {
                outputs(block.sublayers(shape.dim(1)), shape, out);
            } else if (layer instanceof LayerSpec.DecoderBlock block) {
                outputs(block.sublayers(), shape, out);
            } else if (layer instanceof LayerSpec.Residual residual) {
                outputs(residual.body(), shape, out);
            }
            shape = layer.outputShape(shape);
            out.put(layer.name(), shape);
        }
        return shape;
    }

    /** The number of trainable parameter elements. */
    public long trainableParameterCount() {
        long n = 0;
        for (ParameterSpec p : parameters.values()) {
            if (p.role().trainable()) {
                n += p.size();
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "ModelSpec[" + name + ", input " + inputShape + ", " + layers.size() + " layers, "
                + trainableParameterCount() + " parameters]";
    }
}
