/**
 * Engine-neutral model descriptions and host-side tensors.
 *
 * <p>A {@link dev.bonsai.api.model.ModelSpec} is data: an input shape and a list of
 * {@link dev.bonsai.api.model.LayerSpec layers}. It infers every layer's output shape and every parameter's name,
 * shape and role without an engine, so Bonsai's seeded {@link dev.bonsai.api.model.WeightInitializer} can make
 * the same initial {@link dev.bonsai.api.model.Weights} for every engine. Parameter names are
 * {@code <layer>.<kind>}, for example {@code fc1.weight}; weights are laid out as PyTorch does
 * ({@code [out, in]} for dense, {@code [out, in, kh, kw]} for conv2d).
 */
package dev.bonsai.api.model;
