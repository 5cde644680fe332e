package dev.bonsai.experiments.run;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Progress as one log line per epoch: for logs, CI and anything that is not a terminal. */
public final class LogProgress implements Progress {
    private static final Logger LOG = LogManager.getLogger(LogProgress.class);

    @Override
    public Phase phase(String label, int epochs) {
        return new Phase() {
            @Override
            public void epochEnded(int epoch, double meanLoss) {
                LOG.info("{}: epoch {}/{}, loss {}", label, epoch + 1, epochs, String.format("%.4f", meanLoss));
            }

            @Override
            public void close() {
            }
        };
    }
}
