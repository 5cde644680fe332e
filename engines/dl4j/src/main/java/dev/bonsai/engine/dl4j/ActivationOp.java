package dev.bonsai.engine.dl4j;

import dev.bonsai.api.model.Activation;
import java.util.function.BiConsumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** An element-wise activation; GELU is the exact (erf) form, as PyTorch's default. */
final class ActivationOp implements Op {
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    private final String name;
    private final Activation function;
    private INDArray input;
    private INDArray output;

    ActivationOp(String name, Activation function) {
        this.name = name;
        this.function = function;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public INDArray forward(INDArray x, boolean training, BiConsumer<String, INDArray> tap) {
        input = x;
        output = switch (function) {
            case RELU -> Transforms.relu(x, true);
            case TANH -> Transforms.tanh(x, true);
            case SIGMOID -> Transforms.sigmoid(x, true);
            case GELU -> x.mul(cdf(x));
        };
        if (tap != null) {
            tap.accept(name, output);
        }
        return output;
    }

    /** Φ(x) = (1 + erf(x/√2)) / 2. */
    private static INDArray cdf(INDArray x) {
        INDArray scaled = x.mul(SQRT_HALF);
        Nd4j.exec(new Erf(scaled, scaled));
        return scaled.addi(1).muli(0.5);
    }

    @Override
    public INDArray backward(INDArray dy) {
        return switch (function) {
            case RELU -> dy.mul(input.gt(0).castTo(DataType.FLOAT));
            case TANH -> dy.mul(output.mul(output).rsubi(1));
            case SIGMOID -> dy.mul(output.rsub(1).muli(output));
            // d/dx x·Φ(x) = Φ(x) + x·φ(x), φ(x) = exp(−x²/2)/√(2π)
            case GELU -> dy.mul(cdf(input).addi(Transforms.exp(input.mul(input).muli(-0.5), false)
                    .muli(INV_SQRT_2PI).muli(input)));
        };
    }
}
