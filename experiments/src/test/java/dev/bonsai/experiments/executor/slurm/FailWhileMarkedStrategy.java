package dev.bonsai.experiments.executor.slurm;

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

/**
 * A test-only strategy that fails while a marker file exists and otherwise scores by magnitude: a trial that fails
 * once on a cluster and succeeds when resubmitted.
 */
public final class FailWhileMarkedStrategy implements PruningStrategy<FailWhileMarkedStrategy.Options> {

    /**
     * Options.
     *
     * @param marker the file whose existence makes scoring fail
     */
    public record Options(@Doc("The marker file.") String marker) {
    }

    @Override
    public String id() {
        return "fail-while-marked";
    }

    @Override
    public String description() {
        return "Fails while a marker file exists (tests only)";
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
        if (Files.exists(Path.of(options.marker()))) {
            throw new BonsaiException("failing on purpose while " + options.marker() + " exists");
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
