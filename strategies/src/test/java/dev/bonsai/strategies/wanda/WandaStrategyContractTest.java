package dev.bonsai.strategies.wanda;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.testkit.strategy.PruningStrategyContract;

/** The test kit's contract for {@code wanda}. */
class WandaStrategyContractTest extends PruningStrategyContract<NoOptions> {

    @Override
    protected PruningStrategy<NoOptions> strategy() {
        return new WandaStrategy();
    }
}
