package dev.bonsai.benchmarks;

import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.api.prune.Scope;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.api.prune.Structure;
import dev.bonsai.strategies.selection.MaskSelector;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Mask selection ({@link MaskSelector}): the masks of LeNet-300-100's three weight matrices (266,200 scores) for 50%
 * sparsity, layerwise or global, unstructured or 2:4 along the inputs. Pure Java, no engine.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MaskSelectionBenchmark {
    /** The scope. */
    @Param({"LAYERWISE", "GLOBAL"})
    public Scope scope;

    /** The structure: {@code unstructured} or {@code 2:4}. */
    @Param({"unstructured", "2:4"})
    public String structure;

    private final MaskSelector selector = new MaskSelector();
    private Scores scores;
    private List<ParameterSpec> prunable;
    private Structure pattern;

    /** Draws the scores. */
    @Setup(Level.Trial)
    public void setUp() {
        ModelSpec spec = Fixtures.lenet();
        scores = new Scores(Fixtures.randomScores(spec, 5));
        prunable = Fixtures.weights(spec);
        pattern = structure.equals("2:4") ? new Structure.NOfM(2, 4) : new Structure.Unstructured();
    }

    /** Selects the masks. */
    @Benchmark
    public MaskSet select() {
        return selector.select(scores, prunable, MaskSet.empty(), 0.5, scope, pattern);
    }
}
