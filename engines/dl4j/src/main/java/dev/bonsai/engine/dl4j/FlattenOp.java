package dev.bonsai.engine.dl4j;

import java.util.function.BiConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Flattens everything but the batch dimension, row-major (as PyTorch's {@code flatten(1)}). */
final class FlattenOp implements Op {
    private final String name;
    private long[] inputShape;

    FlattenOp(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public INDArray forward(INDArray x, boolean training, BiConsumer<String, INDArray> tap) {
        inputShape = x.shape();
        INDArray y = x.reshape('c', x.size(0), -1);
        if (tap != null) {
            tap.accept(name, y);
        }
        return y;
    }

    @Override
    public INDArray backward(INDArray dy) {
        return dy.reshape('c', inputShape);
    }
}
