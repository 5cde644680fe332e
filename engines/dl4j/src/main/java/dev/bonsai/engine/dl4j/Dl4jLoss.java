package dev.bonsai.engine.dl4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Softmax cross-entropy over rows of logits against one-hot labels, in a numerically stable form: the summed loss
 * and, when asked, the gradient of the mean loss.
 */
final class Dl4jLoss {
    private final INDArray logProbabilities;
    private final INDArray oneHot;

    /**
     * @param logits {@code [rows, classes]}
     * @param oneHot {@code [rows, classes]}
     */
    Dl4jLoss(INDArray logits, INDArray oneHot) {
        this.logProbabilities = logSoftmax(logits);
        this.oneHot = oneHot;
    }

    /** {@code log softmax} of each row of {@code logits [rows, classes]}, shifted by the row's maximum for stability. */
    static INDArray logSoftmax(INDArray logits) {
        INDArray shifted = logits.subColumnVector(logits.max(1).reshape(-1, 1));
        INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(1), false).reshape(-1, 1);
        return shifted.subiColumnVector(logSum);
    }

    /** −Σ log p(label) over the rows, in double precision. */
    double sum() {
        return -logProbabilities.mul(oneHot).sumNumber().doubleValue();
    }

    /** The gradient of {@code weight}·(mean loss over the rows) with respect to the logits: (softmax − y)·w/rows. */
    INDArray gradient(double weight) {
        long rows = logProbabilities.size(0);
        return Transforms.exp(logProbabilities, true).subi(oneHot).muli(weight / rows);
    }
}
