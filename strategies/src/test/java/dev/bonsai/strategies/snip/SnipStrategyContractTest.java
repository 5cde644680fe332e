package dev.bonsai.strategies.snip;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.testkit.strategy.PruningStrategyContract;

/** The test kit's contract for {@code snip}. */
class SnipStrategyContractTest extends PruningStrategyContract<NoOptions> {

    @Override
    protected PruningStrategy<NoOptions> strategy() {
        return new SnipStrategy();
    }
}
