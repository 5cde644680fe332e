package dev.bonsai.engine.dl4j;

import java.util.function.BiConsumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inverted dropout in training (each element kept with probability 1 − rate and scaled by 1 / (1 − rate)), the
 * identity in evaluation. The keep mask is drawn from ND4J's random generator, which training seeds.
 */
final class DropoutOp implements Op {
    private final String name;
    private final double rate;
    private INDArray scale;

    DropoutOp(String name, double rate) {
        this.name = name;
        this.rate = rate;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public INDArray forward(INDArray x, boolean training, BiConsumer<String, INDArray> tap) {
        INDArray y;
        if (training && rate > 0) {
            scale = Nd4j.create(DataType.FLOAT, x.shape());
            Nd4j.getExecutioner().exec(new BernoulliDistribution(scale, 1 - rate), Nd4j.getRandom());
            scale.muli(1 / (1 - rate));
            y = x.mul(scale);
        } else {
            scale = null;
            y = x;
        }
        if (tap != null) {
            tap.accept(name, y);
        }
        return y;
    }

    @Override
    public INDArray backward(INDArray dy) {
        return scale == null ? dy : dy.mul(scale);
    }
}
