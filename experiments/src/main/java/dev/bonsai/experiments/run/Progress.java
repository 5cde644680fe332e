package dev.bonsai.experiments.run;

import dev.bonsai.api.engine.TrainingListener;

/** Shows the progress of long phases: a progress bar on a terminal, log lines elsewhere. */
public interface Progress {

    /** A training phase; close it when the phase ends. */
    Phase phase(String label, int epochs);

    /**
     * A training phase of batches of {@code batchSize} samples (so that progress can be given in samples per
     * second); by default the same as {@link #phase(String, int)}.
     */
    default Phase phase(String label, int epochs, int batchSize) {
        return phase(label, epochs);
    }

    /** One phase's listener. */
    interface Phase extends TrainingListener, AutoCloseable {
        @Override
        void close();
    }
}
