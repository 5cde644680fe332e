package dev.bonsai.experiments.run;

import dev.bonsai.api.engine.TrainingListener;

/** Shows the progress of long phases: a progress bar on a terminal, log lines elsewhere. */
public interface Progress {

    /** A training phase; close it when the phase ends. */
    Phase phase(String label, int epochs);

    /** One phase's listener. */
    interface Phase extends TrainingListener, AutoCloseable {
        @Override
        void close();
    }
}
