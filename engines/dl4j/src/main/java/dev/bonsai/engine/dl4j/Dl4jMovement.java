package dev.bonsai.engine.dl4j;

import dev.bonsai.api.engine.MovementProbe;
import dev.bonsai.api.model.Weights;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link MovementProbe} on ND4J: one flat sum beside the flat parameter vector, updated after every backward pass of
 * {@link Dl4jNetwork#train} by {@code S -= W ⊙ G} as two whole-vector operations.
 */
final class Dl4jMovement implements MovementProbe {
    private final Dl4jParameters parameters;
    private INDArray sum;
    private long steps;

    Dl4jMovement(Dl4jParameters parameters) {
        this.parameters = parameters;
    }

    @Override
    public void start() {
        sum = Nd4j.zerosLike(parameters.flatValues());
        steps = 0;
    }

    @Override
    public void stop() {
        sum = null;
        steps = 0;
    }

    @Override
    public boolean started() {
        return sum != null;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public Weights scores() {
        if (sum == null) {
            throw new IllegalStateException("movement scores were not started; call start() before training");
        }
        return parameters.slices(sum);
    }

    /** Adds −W ⊙ G for the gradients now in the flat gradient vector, when started. */
    void accumulate() {
        if (sum == null) {
            return;
        }
        sum.subi(parameters.flatValues().mul(parameters.flatGrads()));
        steps++;
    }
}
