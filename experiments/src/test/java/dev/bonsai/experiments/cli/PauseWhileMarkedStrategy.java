package dev.bonsai.experiments.cli;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Spi;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.prune.PruningContext;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.api.prune.Requirement;
import dev.bonsai.api.prune.Scores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A test-only strategy that scores by magnitude, but first waits while a marker file exists: it holds a trial in
 * the middle of its computation until a test lets it go, so two processes are certain to overlap.
 */
public final class PauseWhileMarkedStrategy implements PruningStrategy<PauseWhileMarkedStrategy.Options> {
    private static final long MAX_WAIT_NANOS = TimeUnit.MINUTES.toNanos(5);

    /**
     * Options.
     *
     * @param marker the file whose existence holds scoring back
     */
    public record Options(@Doc("The marker file.") String marker) {
    }

    @Override
    public String id() {
        return "pause-while-marked";
    }

    @Override
    public String description() {
        return "Waits while a marker file exists, then scores by magnitude (tests only)";
    }

    @Override
    public Class<Options> optionsType() {
        return Options.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public Set<Requirement> requirements(Options options) {
        return Set.of(Requirement.WEIGHTS);
    }

    @Override
    public Scores score(Options options, PruningContext context) {
        long start = System.nanoTime();
        while (Files.exists(Path.of(options.marker()))) {
            if (System.nanoTime() - start > MAX_WAIT_NANOS) {
                throw new BonsaiException("waited 5 minutes for " + options.marker() + " to go");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BonsaiException("interrupted while waiting for " + options.marker() + " to go", e);
            }
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        for (ParameterSpec p : context.prunable()) {
            float[] w = context.weights().get(p.name()).data();
            float[] s = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                s[i] = Math.abs(w[i]);
            }
            out.put(p.name(), s);
        }
        return new Scores(out);
    }
}
