package dev.bonsai.experiments.run;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.engine.TrainingListener;

/**
 * Stops a training whose loss is no longer a finite number: what trains on NaN only wastes the rest of its epochs,
 * so the trial fails at once, saying where and what to try.
 */
final class DivergenceGuard implements TrainingListener {
    private final TrainingListener inner;
    private final String what;

    private DivergenceGuard(TrainingListener inner, String what) {
        this.inner = inner;
        this.what = what;
    }

    /** {@code inner}, with the loss of every epoch checked; {@code what} names the training in the error. */
    static TrainingListener around(TrainingListener inner, String what) {
        return new DivergenceGuard(inner, what);
    }

    @Override
    public void started(long totalSteps) {
        inner.started(totalSteps);
    }

    @Override
    public void stepped(long step) {
        inner.stepped(step);
    }

    @Override
    public void stepped(long step, java.util.function.DoubleSupplier runningLoss) {
        inner.stepped(step, runningLoss);
    }

    @Override
    public void epochEnded(int epoch, double meanLoss) {
        inner.epochEnded(epoch, meanLoss);
        if (!Double.isFinite(meanLoss)) {
            throw new BonsaiException(what + ": the training diverged, its mean loss in epoch " + (epoch + 1) + " is "
                    + meanLoss + "; lower the learning rate or clip the gradients (train.gradient_clip)");
        }
    }
}
