package dev.bonsai.engine.dl4j;

import java.util.function.BiConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code y = x·Wᵀ + b} on the last dimension, with {@code W} laid out {@code [out, in]} as Bonsai's weights are
 * (inputs {@code [batch, ..., in]} are viewed as {@code [rows, in]}).
 */
final class DenseOp implements Op {
    private final String name;
    private final INDArray weight;
    private final INDArray bias;
    private final INDArray weightGrad;
    private final INDArray biasGrad;
    private final int in;
    private final int out;
    private INDArray input;
    private long[] inputShape;

    DenseOp(String name, int in, int out, INDArray weight, INDArray bias, INDArray weightGrad, INDArray biasGrad) {
        this.name = name;
        this.in = in;
        this.out = out;
        this.weight = weight;
        this.bias = bias;
        this.weightGrad = weightGrad;
        this.biasGrad = biasGrad;
    }

    @Override
    public INDArray forward(INDArray x, boolean training, BiConsumer<String, INDArray> tap) {
        inputShape = x.shape();
        input = x.reshape('c', -1, in);
        INDArray y = input.mmul(weight.transpose());
        if (bias != null) {
            y.addiRowVector(bias);
        }
        long[] shape = inputShape.clone();
        shape[shape.length - 1] = out;
        INDArray result = shape.length == 2 ? y : y.reshape('c', shape);
        if (tap != null) {
            tap.accept(name, result);
        }
        return result;
    }

    @Override
    public INDArray backward(INDArray dy) {
        INDArray g = dy.reshape('c', -1, out);
        if (weightGrad != null) {
            weightGrad.addi(g.transpose().mmul(input));
        }
        if (bias != null && biasGrad != null) {
            biasGrad.addi(g.sum(0));
        }
        INDArray dx = g.mmul(weight);
        return inputShape.length == 2 ? dx : dx.reshape('c', inputShape);
    }
}
