package dev.bonsai.experiments.cli;

import dev.bonsai.experiments.run.Progress;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress as a bar per training phase on the terminal (standard error), with the epoch's loss. */
final class TerminalProgress implements Progress {

    @Override
    public Phase phase(String label, int epochs) {
        return new Phase() {
            private ProgressBar bar;

            @Override
            public void started(long totalSteps) {
                bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(totalSteps)
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate()
                        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
            }

            @Override
            public void stepped(long step) {
                if (bar != null) {
                    bar.stepTo(step + 1);
                }
            }

            @Override
            public void epochEnded(int epoch, double meanLoss) {
                if (bar != null) {
                    bar.setExtraMessage(String.format(" epoch %d/%d loss %.4f", epoch + 1, epochs, meanLoss));
                }
            }

            @Override
            public void close() {
                if (bar != null) {
                    bar.close();
                }
            }
        };
    }
}
