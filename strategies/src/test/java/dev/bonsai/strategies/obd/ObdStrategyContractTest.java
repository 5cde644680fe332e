package dev.bonsai.strategies.obd;

import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.testkit.strategy.PruningStrategyContract;

/** The test kit's contract for {@code obd}. */
class ObdStrategyContractTest extends PruningStrategyContract<ObdOptions> {

    @Override
    protected PruningStrategy<ObdOptions> strategy() {
        return new ObdStrategy();
    }
}
