package dev.bonsai.engine.dl4j;

import java.util.function.BiConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Layer normalisation over the last dimension, with a learned scale and shift. */
final class LayerNormOp implements Op {
    private final String name;
    private final INDArray gamma;
    private final INDArray beta;
    private final INDArray gammaGrad;
    private final INDArray betaGrad;
    private final double epsilon;
    private final int width;
    private long[] inputShape;
    private INDArray normalised;
    private INDArray inverseStd;

    LayerNormOp(String name, int width, double epsilon, INDArray gamma, INDArray beta, INDArray gammaGrad,
            INDArray betaGrad) {
        this.name = name;
        this.width = width;
        this.epsilon = epsilon;
        this.gamma = gamma;
        this.beta = beta;
        this.gammaGrad = gammaGrad;
        this.betaGrad = betaGrad;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public INDArray forward(INDArray x, boolean training, BiConsumer<String, INDArray> tap) {
        inputShape = x.shape();
        INDArray rows = x.reshape('c', -1, width);
        INDArray mean = rows.mean(true, 1);
        INDArray var = rows.var(false, 1).reshape(-1, 1);
        inverseStd = Transforms.pow(var.addi(epsilon), -0.5, false);
        normalised = rows.sub(mean).muli(inverseStd);
        INDArray y = normalised.mulRowVector(gamma).addiRowVector(beta);
        INDArray result = y.reshape('c', inputShape);
        if (tap != null) {
            tap.accept(name, result);
        }
        return result;
    }

    @Override
    public INDArray backward(INDArray dy) {
        INDArray g = dy.reshape('c', -1, width);
        gammaGrad.addi(g.mul(normalised).sum(0));
        betaGrad.addi(g.sum(0));
        INDArray d = g.mulRowVector(gamma);
        INDArray meanD = d.mean(true, 1);
        INDArray meanDx = d.mul(normalised).mean(true, 1);
        return d.subi(meanD).subi(normalised.mul(meanDx)).muli(inverseStd).reshape('c', inputShape);
    }
}
