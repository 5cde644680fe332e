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
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double GELU_CUBIC = 0.044715;

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
            case SILU -> x.mul(Transforms.sigmoid(x, true));
            case GELU_TANH -> x.mul(tanhCdf(x));
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

    /** GELU_TANH's gate, (1 + tanh(u)) / 2 with u = √(2/π)(x + 0.044715x³). */
    private static INDArray tanhCdf(INDArray x) {
        return Transforms.tanh(tanhArgument(x), false).addi(1).muli(0.5);
    }

    private static INDArray tanhArgument(INDArray x) {
        return x.mul(x).muli(x).muli(GELU_CUBIC).addi(x).muli(SQRT_2_OVER_PI);
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
            // d/dx x·σ(x) = σ(x)(1 + x(1 − σ(x)))
            case SILU -> {
                INDArray s = Transforms.sigmoid(input, true);
                yield dy.mul(s.mul(input.mul(s.rsub(1)).addi(1)));
            }
            // d/dx x·g(x), g = (1 + tanh u)/2: g + x·(1 − tanh²u)/2 · √(2/π)(1 + 3·0.044715x²)
            case GELU_TANH -> {
                INDArray t = Transforms.tanh(tanhArgument(input), false);
                INDArray du = input.mul(input).muli(3 * GELU_CUBIC).addi(1).muli(SQRT_2_OVER_PI);
                INDArray gate = t.add(1).muli(0.5);
                yield dy.mul(gate.addi(t.mul(t).rsubi(1).muli(0.5).muli(du).muli(input)));
            }
        };
    }
}
