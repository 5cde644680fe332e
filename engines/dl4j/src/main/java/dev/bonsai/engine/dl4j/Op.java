package dev.bonsai.engine.dl4j;

import java.util.function.BiConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One layer of a compiled model: a forward pass that keeps what its backward pass needs, and a backward pass that
 * adds the layer's parameter gradients into their slots and returns the gradient of its input. Arrays carry the
 * batch dimension first. An op is used by one network, one pass at a time.
 */
interface Op {

    /** The layer's name, under which the tap reports its output. */
    String name();

    /**
     * The layer's output for {@code x}.
     *
     * @param x        the input, {@code [batch, ...]}
     * @param training training mode (dropout active, batch statistics)
     * @param tap      receives (layer name, output) of this layer and of any nested named layer; may be null
     */
    INDArray forward(INDArray x, boolean training, BiConsumer<String, INDArray> tap);

    /**
     * Backpropagates {@code dy}, the gradient of the loss with respect to the last {@link #forward} output: adds the
     * parameter gradients into their slots and returns the gradient with respect to that forward's input.
     */
    INDArray backward(INDArray dy);
}
