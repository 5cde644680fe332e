package dev.bonsai.strategies.obs;

import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.testkit.strategy.PruningStrategyContract;

/** The test kit's contract for {@code obs}. */
class ObsStrategyContractTest extends PruningStrategyContract<ObsOptions> {

    @Override
    protected PruningStrategy<ObsOptions> strategy() {
        return new ObsStrategy();
    }
}
