package ${package};

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bonsai.api.engine.LayerInputProbe;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.api.prune.Requirement;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.testkit.strategy.PruningStrategyContract;
import dev.bonsai.testkit.strategy.StrategyTestContext;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract every strategy meets (inherited from {@link PruningStrategyContract}: identity, options, complete,
 * finite and deterministic scores, declared capabilities), and the strategy's own mathematics.
 */
class InputWeightedMagnitudeStrategyTest extends PruningStrategyContract<InputWeightedMagnitudeOptions> {
    private static final Set<Requirement> EVERYTHING_IT_NEEDS =
            Set.of(Requirement.WEIGHTS, Requirement.CALIBRATION_DATA, Requirement.LAYER_INPUT_STATISTICS);

    @Override
    protected PruningStrategy<InputWeightedMagnitudeOptions> strategy() {
        return new InputWeightedMagnitudeStrategy();
    }

    @Test
    void scoresAreTheWeightMagnitudeTimesThePowerOfTheInputNorm() {
        StrategyTestContext context = StrategyTestContext.offering(11, EVERYTHING_IT_NEEDS);
        Map<String, Tensor> squareSums =
                context.capability(LayerInputProbe.class).inputSquareSums(context.calibration());
        for (double p : new double[] {0.5, 1, 2}) {
            Scores scores = strategy().score(new InputWeightedMagnitudeOptions(p), context);
            for (ParameterSpec parameter : context.prunable()) {
                int rows = parameter.shape().dim(0);
                int columns = parameter.shape().dim(1);
                float[] w = context.weights().get(parameter.name()).data();
                float[] x = squareSums.get(parameter.name()).data();
                float[] s = scores.get(parameter.name());
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < columns; c++) {
                        double norm = Math.sqrt(x[c]);
                        double expected = Math.abs(w[r * columns + c]) * Math.exp(p * Math.log(norm));
                        assertThat((double) s[r * columns + c])
                                .as("score of %s[%d, %d] at p = %s", parameter.name(), r, c, p)
                                .isCloseTo(expected, within(1e-5 * expected + 1e-7));
                    }
                }
            }
        }
    }

    @Test
    void withoutTheInputNormItIsMagnitudeAndNeedsOnlyTheWeights() {
        InputWeightedMagnitudeOptions magnitude = new InputWeightedMagnitudeOptions(0);
        assertThat(strategy().requirements(magnitude)).containsExactly(Requirement.WEIGHTS);
        StrategyTestContext context = StrategyTestContext.offering(13, Set.of(Requirement.WEIGHTS));
        Scores scores = strategy().score(magnitude, context);
        for (ParameterSpec parameter : context.prunable()) {
            float[] w = context.weights().get(parameter.name()).data();
            float[] s = scores.get(parameter.name());
            for (int k = 0; k < w.length; k++) {
                assertThat(s[k]).isEqualTo(w[k] < 0 ? -w[k] : w[k]);
            }
        }
        assertThat(context.requests()).as("capabilities asked for at input_power 0").isEmpty();
    }
}
