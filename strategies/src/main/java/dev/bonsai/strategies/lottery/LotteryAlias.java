package dev.bonsai.strategies.lottery;

import dev.bonsai.api.Spi;
import dev.bonsai.api.prune.PruningSchedule;
import dev.bonsai.api.prune.PruningStep;
import java.util.List;

/**
 * The id {@code lottery}, kept so that descriptors written before the schedule was named {@code lottery-ticket} run
 * unchanged: the same rounds as {@link LotterySchedule}, with the same options. Records name the id the descriptor
 * used.
 */
public final class LotteryAlias implements PruningSchedule<LotteryOptions> {
    private final LotterySchedule schedule = new LotterySchedule();

    /** Creates the alias; it is stateless. */
    public LotteryAlias() {
    }

    @Override
    public String id() {
        return "lottery";
    }

    @Override
    public String description() {
        return "Alias of lottery-ticket (its earlier id)";
    }

    @Override
    public Class<LotteryOptions> optionsType() {
        return LotteryOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public List<PruningStep> steps(double target, int finetuneEpochs, LotteryOptions options) {
        return schedule.steps(target, finetuneEpochs, options);
    }
}
