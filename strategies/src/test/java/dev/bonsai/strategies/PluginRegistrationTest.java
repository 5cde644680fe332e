package dev.bonsai.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.Plugin;
import dev.bonsai.api.Spi;
import dev.bonsai.api.prune.PruningSchedule;
import dev.bonsai.api.prune.PruningStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class PluginRegistrationTest {

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static List<Plugin<?>> load(Class<? extends Plugin> kind) {
        List<Plugin<?>> out = new ArrayList<>();
        for (Object p : ServiceLoader.load((Class) kind)) {
            out.add((Plugin<?>) p);
        }
        return out;
    }

    @Test
    void strategiesAreRegistered() {
        List<Plugin<?>> strategies = load(PruningStrategy.class);
        assertThat(strategies).extracting(Plugin::id).contains("magnitude", "random");
        assertThat(strategies).allSatisfy(p -> assertThat(p.spiVersion()).isEqualTo(Spi.VERSION));
    }

    @Test
    void schedulesAreRegistered() {
        List<Plugin<?>> schedules = load(PruningSchedule.class);
        assertThat(schedules).extracting(Plugin::id).contains("one-shot", "iterative");
        assertThat(schedules).allSatisfy(p -> assertThat(p.spiVersion()).isEqualTo(Spi.VERSION));
    }
}
