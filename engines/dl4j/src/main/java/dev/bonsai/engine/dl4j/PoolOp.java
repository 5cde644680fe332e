package dev.bonsai.engine.dl4j;

import dev.bonsai.api.model.PoolKind;
import java.util.function.BiConsumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** Max or average pooling over square windows of {@code [batch, C, H, W]}, without padding (libnd4j kernels). */
final class PoolOp implements Op {
    private final String name;
    private final String op;
    private final int[] iArgs;
    private final long channels;
    private final long outH;
    private final long outW;
    private INDArray input;

    PoolOp(String name, PoolKind kind, int kernel, int stride, int channels, int outH, int outW) {
        this.name = name;
        this.op = kind == PoolKind.MAX ? "maxpool2d" : "avgpool2d";
        this.channels = channels;
        this.outH = outH;
        this.outW = outW;
        // kH, kW, sH, sW, pH, pW, dH, dW, same mode (0), extra (avg: 1 divides by the window area), format (0: NCHW)
        this.iArgs = new int[] {kernel, kernel, stride, stride, 0, 0, 1, 1, 0, 1, 0};
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public INDArray forward(INDArray x, boolean training, BiConsumer<String, INDArray> tap) {
        input = x;
        INDArray y = Nd4j.create(DataType.FLOAT, x.size(0), channels, outH, outW);
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(x).addIntegerArguments(iArgs).addOutputs(y).build());
        if (tap != null) {
            tap.accept(name, y);
        }
        return y;
    }

    @Override
    public INDArray backward(INDArray dy) {
        INDArray dx = Nd4j.create(DataType.FLOAT, input.shape());
        Nd4j.exec(DynamicCustomOp.builder(op + "_bp").addInputs(input, dy).addIntegerArguments(iArgs)
                .addOutputs(dx).build());
        return dx;
    }
}
