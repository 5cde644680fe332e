package dev.bonsai.strategies.synflow;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.testkit.strategy.PruningStrategyContract;

/** The test kit's contract for {@code synflow}. */
class SynflowStrategyContractTest extends PruningStrategyContract<NoOptions> {

    @Override
    protected PruningStrategy<NoOptions> strategy() {
        return new SynflowStrategy();
    }
}
