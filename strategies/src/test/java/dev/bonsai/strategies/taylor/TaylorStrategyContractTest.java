package dev.bonsai.strategies.taylor;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.testkit.strategy.PruningStrategyContract;

/** The test kit's contract for {@code taylor} (its scores are checked in GradientStrategiesTest). */
class TaylorStrategyContractTest extends PruningStrategyContract<NoOptions> {

    @Override
    protected PruningStrategy<NoOptions> strategy() {
        return new TaylorStrategy();
    }
}
