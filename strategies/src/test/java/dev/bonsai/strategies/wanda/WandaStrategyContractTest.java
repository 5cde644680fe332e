package dev.bonsai.strategies.wanda;

import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.testkit.strategy.PruningStrategyContract;

/** The test kit's contract for {@code wanda}. */
class WandaStrategyContractTest extends PruningStrategyContract<WandaOptions> {

    @Override
    protected PruningStrategy<WandaOptions> strategy() {
        return new WandaStrategy();
    }
}
