package dev.bonsai.experiments.run;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.engine.TrainingListener;
import dev.bonsai.api.prune.TrainingPruningStep;
import java.util.List;
import java.util.function.DoubleConsumer;

/**
 * A training listener that prunes at a schedule's {@link TrainingPruningStep}s: a step at 0 when training starts,
 * a step at t once t optimizer steps are done (in {@link #stepped} of step t − 1), so the pruning falls between two
 * optimizer steps and training carries on at the new mask. Every other callback goes to the wrapped listener.
 */
final class PruningDuringTraining implements TrainingListener {
    private final TrainingListener inner;
    private final List<TrainingPruningStep> steps;
    private final DoubleConsumer pruneTo;
    private int next;

    /**
     * @param inner   the listener to pass progress to
     * @param steps   the pruning steps, in increasing step order
     * @param pruneTo prunes the network being trained to a sparsity
     */
    PruningDuringTraining(TrainingListener inner, List<TrainingPruningStep> steps, DoubleConsumer pruneTo) {
        this.inner = inner;
        this.steps = List.copyOf(steps);
        this.pruneTo = pruneTo;
    }

    @Override
    public void started(long totalSteps) {
        TrainingPruningStep last = steps.get(steps.size() - 1);
        if (last.step() > totalSteps) {
            throw new BonsaiException("pruning step at " + last.step() + " is past the " + totalSteps
                    + " steps of this training");
        }
        inner.started(totalSteps);
        pruneUpTo(0);
    }

    @Override
    public void stepped(long step) {
        inner.stepped(step);
        pruneUpTo(step + 1);
    }

    @Override
    public void epochEnded(int epoch, double meanLoss) {
        inner.epochEnded(epoch, meanLoss);
    }

    /** How many of the pruning steps have been done. */
    int done() {
        return next;
    }

    private void pruneUpTo(long stepsDone) {
        while (next < steps.size() && steps.get(next).step() <= stepsDone) {
            pruneTo.accept(steps.get(next).sparsity());
            next++;
        }
    }
}
