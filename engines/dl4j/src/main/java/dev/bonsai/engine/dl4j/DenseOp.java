package dev.bonsai.engine.dl4j;

import java.util.function.BiConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code y = x·Wᵀ + b} on the last dimension, with {@code W} laid out {@code [out, in]} as Bonsai's weights are
 * (inputs {@code [batch, ..., in]} are viewed as {@code [rows, in]}). Products go to BLAS through {@code Nd4j.gemm},
 * several times faster here than {@code INDArray.mmul}'s custom op; the weight gradient accumulates in place.
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
    public String name() {
        return name;
    }

    @Override
    public INDArray forward(INDArray x, boolean training, BiConsumer<String, INDArray> tap) {
        inputShape = x.shape();
        input = x.reshape('c', -1, in);
        INDArray y = Nd4j.gemm(input, weight, false, true);
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
            Nd4j.gemm(g, input, weightGrad, true, false, 1.0, 1.0);
        }
        if (bias != null && biasGrad != null) {
            biasGrad.addi(g.sum(0));
        }
        INDArray dx = Nd4j.gemm(g, weight, false, false);
        return inputShape.length == 2 ? dx : dx.reshape('c', inputShape);
    }
}
