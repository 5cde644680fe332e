package dev.bonsai.engine.dl4j;

import java.util.function.BiConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch normalisation over the channel axis (axis 1 of {@code [batch, C]} or {@code [batch, C, H, W]}), as PyTorch
 * defines it: training normalises with the batch's biased variance and moves the running statistics by the
 * momentum, the running variance with the unbiased one; evaluation uses the running statistics and leaves them
 * alone.
 */
final class BatchNormOp implements Op {
    private final String name;
    private final INDArray gamma;
    private final INDArray beta;
    private final INDArray gammaGrad;
    private final INDArray betaGrad;
    private final INDArray runningMean;
    private final INDArray runningVar;
    private final double momentum;
    private final double epsilon;
    private long[] broadcast;
    private int[] axes;
    private INDArray normalised;
    private INDArray inverseStd;
    private boolean trainingPass;

    BatchNormOp(String name, double momentum, double epsilon, INDArray gamma, INDArray beta, INDArray gammaGrad,
            INDArray betaGrad, INDArray runningMean, INDArray runningVar) {
        this.name = name;
        this.momentum = momentum;
        this.epsilon = epsilon;
        this.gamma = gamma;
        this.beta = beta;
        this.gammaGrad = gammaGrad;
        this.betaGrad = betaGrad;
        this.runningMean = runningMean;
        this.runningVar = runningVar;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public INDArray forward(INDArray x, boolean training, BiConsumer<String, INDArray> tap) {
        int rank = x.rank();
        broadcast = new long[rank];
        java.util.Arrays.fill(broadcast, 1);
        broadcast[1] = x.size(1);
        axes = rank == 2 ? new int[] {0} : new int[] {0, 2, 3};
        trainingPass = training;
        INDArray mean;
        INDArray var;
        if (training) {
            mean = x.mean(axes);
            var = x.var(false, axes);
            long n = x.length() / x.size(1);
            INDArray unbiased = var.mul((double) n / Math.max(1, n - 1));
            runningMean.muli(1 - momentum).addi(mean.mul(momentum));
            runningVar.muli(1 - momentum).addi(unbiased.muli(momentum));
        } else {
            mean = runningMean;
            var = runningVar;
        }
        inverseStd = Transforms.pow(var.add(epsilon), -0.5, false).reshape(broadcast);
        normalised = x.sub(mean.reshape(broadcast)).muli(inverseStd);
        INDArray y = normalised.mul(gamma.reshape(broadcast)).addi(beta.reshape(broadcast));
        if (tap != null) {
            tap.accept(name, y);
        }
        return y;
    }

    @Override
    public INDArray backward(INDArray dy) {
        gammaGrad.addi(dy.mul(normalised).sum(axes));
        betaGrad.addi(dy.sum(axes));
        INDArray dNormalised = dy.mul(gamma.reshape(broadcast));
        if (!trainingPass) {
            return dNormalised.muli(inverseStd);
        }
        // dx = invstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ · x̂)), means over the batch (and spatial) axes
        INDArray meanD = dNormalised.mean(true, axes);
        INDArray meanDx = dNormalised.mul(normalised).mean(true, axes);
        return dNormalised.subi(meanD).subi(normalised.mul(meanDx)).muli(inverseStd);
    }
}
