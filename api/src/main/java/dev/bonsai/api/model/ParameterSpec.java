package dev.bonsai.api.model;

/**
 * One parameter of a model, as the model spec infers it.
 *
 * @param name  the parameter's unique name, {@code <layer>.<kind>}
 * @param layer the name of the layer it belongs to
 * @param shape its shape; weights are {@code [out, in]} (dense) or {@code [out, in, kh, kw]} (conv2d)
 * @param role  what it is for
 * @param fanIn the number of inputs feeding one output unit (for initialisation and N:M groups)
 */
public record ParameterSpec(String name, String layer, Shape shape, ParameterRole role, int fanIn) {

    /** The number of elements. */
    public long size() {
        return shape.size();
    }
}
