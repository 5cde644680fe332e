package dev.bonsai.engine.dl4j;

import java.util.function.BiConsumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A square 2-D convolution on {@code [batch, C, H, W]} with libnd4j's {@code conv2d} / {@code conv2d_bp} kernels,
 * reading the kernel in Bonsai's {@code [out, in, kh, kw]} layout directly (libnd4j's weights format 1, OIYX).
 */
final class ConvOp implements Op {
    private final String name;
    private final INDArray weight;
    private final INDArray bias;
    private final INDArray weightGrad;
    private final INDArray biasGrad;
    private final long filters;
    private final int[] iArgs;
    private final long outH;
    private final long outW;
    private INDArray input;

    ConvOp(String name, int filters, int kernel, int stride, int padding, int outH, int outW, INDArray weight,
            INDArray bias, INDArray weightGrad, INDArray biasGrad) {
        this.name = name;
        this.filters = filters;
        this.weight = weight;
        this.bias = bias;
        this.weightGrad = weightGrad;
        this.biasGrad = biasGrad;
        this.outH = outH;
        this.outW = outW;
        // kH, kW, sH, sW, pH, pW, dH, dW, same mode (0: explicit padding), data format (0: NCHW), weights (1: OIYX)
        this.iArgs = new int[] {kernel, kernel, stride, stride, padding, padding, 1, 1, 0, 0, 1};
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public INDArray forward(INDArray x, boolean training, BiConsumer<String, INDArray> tap) {
        input = x;
        INDArray y = Nd4j.create(DataType.FLOAT, x.size(0), filters, outH, outW);
        INDArray[] inputs = bias == null ? new INDArray[] {x, weight} : new INDArray[] {x, weight, bias};
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(inputs).addIntegerArguments(iArgs).addOutputs(y)
                .build());
        if (tap != null) {
            tap.accept(name, y);
        }
        return y;
    }

    @Override
    public INDArray backward(INDArray dy) {
        INDArray dx = Nd4j.create(DataType.FLOAT, input.shape());
        INDArray dw = Nd4j.create(DataType.FLOAT, weight.shape());
        INDArray db = bias == null ? null : Nd4j.create(DataType.FLOAT, bias.shape());
        INDArray[] inputs = bias == null ? new INDArray[] {input, weight, dy}
                : new INDArray[] {input, weight, bias, dy};
        INDArray[] outputs = bias == null ? new INDArray[] {dx, dw} : new INDArray[] {dx, dw, db};
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(inputs).addIntegerArguments(iArgs)
                .addOutputs(outputs).build());
        weightGrad.addi(dw);
        if (db != null) {
            biasGrad.addi(db);
        }
        return dx;
    }
}
