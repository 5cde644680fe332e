package dev.bonsai.experiments.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.NoOptions;
import dev.bonsai.api.Spi;
import dev.bonsai.api.prune.PruningSchedule;
import dev.bonsai.api.prune.PruningStep;
import dev.bonsai.strategies.lottery.LotterySchedule;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Plugins are found by their id and by the aliases they declare; an alias names one plugin only. */
class PluginRegistryTest {

    /** A schedule with a given id and aliases (tests only). */
    private record NamedSchedule(String id, Set<String> aliases) implements PruningSchedule<NoOptions> {
        @Override
        public String description() {
            return "test schedule";
        }

        @Override
        public Class<NoOptions> optionsType() {
            return NoOptions.class;
        }

        @Override
        public int spiVersion() {
            return Spi.VERSION;
        }

        @Override
        public List<PruningStep> steps(double target, int finetuneEpochs, NoOptions options) {
            return List.of(new PruningStep(target, finetuneEpochs, false));
        }
    }

    private static PluginRegistry with(Map<String, PruningSchedule<?>> schedules) {
        return new PluginRegistry(Map.of(), Map.of(), Map.of(), Map.of(), schedules, Map.of(), Map.of(), Map.of());
    }

    @Test
    void anAliasFindsItsPluginButIsNotListed() {
        LotterySchedule lottery = new LotterySchedule();
        PluginRegistry registry = with(Map.of(lottery.id(), lottery));
        assertThat(registry.find(PluginKind.SCHEDULE, "lottery")).containsSame(lottery);
        assertThat(registry.find(PluginKind.SCHEDULE, "lottery-ticket")).containsSame(lottery);
        assertThat(registry.find(PluginKind.SCHEDULE, "lotto")).isEmpty();
        assertThat(registry.of(PluginKind.SCHEDULE)).containsOnlyKeys("lottery-ticket");
    }

    @Test
    void anAliasThatIsAnotherPluginsIdOrAliasIsRefused() {
        LotterySchedule lottery = new LotterySchedule();
        NamedSchedule named = new NamedSchedule("lottery", Set.of());
        assertThatThrownBy(() -> with(Map.of(lottery.id(), lottery, named.id(), named)))
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining("'lottery-ticket'").hasMessageContaining("alias 'lottery'")
                .hasMessageContaining("has as its id");
        NamedSchedule twin = new NamedSchedule("twin", Set.of("lottery"));
        assertThatThrownBy(() -> with(Map.of(lottery.id(), lottery, twin.id(), twin)))
                .isInstanceOf(BonsaiException.class)
                .hasMessageContaining("alias 'lottery'").hasMessageContaining("declares too");
    }
}
