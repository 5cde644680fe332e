package dev.bonsai.testkit.strategy;

import dev.bonsai.testkit.DefaultOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.Spi;
import dev.bonsai.api.engine.GradientProbe;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.prune.PruningContext;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.api.prune.Requirement;
import dev.bonsai.api.prune.Scores;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The strategy contract fails strategies that break it, and its option defaults bind. */
class PruningStrategyContractSelfTest {

    /** A strategy that scores with gradients, declaring them or not, and may emit NaN. */
    private static final class Probe implements PruningStrategy<NoOptions> {
        private final boolean declare;
        private final boolean nan;

        Probe(boolean declare, boolean nan) {
            this.declare = declare;
            this.nan = nan;
        }

        @Override
        public String id() {
            return "probe";
        }

        @Override
        public String description() {
            return "test";
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
        public Set<Requirement> requirements(NoOptions options) {
            return declare ? Set.of(Requirement.WEIGHTS, Requirement.CALIBRATION_DATA, Requirement.GRADIENTS)
                    : Set.of(Requirement.WEIGHTS);
        }

        @Override
        public Scores score(NoOptions options, PruningContext context) {
            var g = context.capability(GradientProbe.class).gradientSum(context.calibration());
            Map<String, float[]> out = new LinkedHashMap<>();
            for (ParameterSpec p : context.prunable()) {
                float[] s = g.get(p.name()).data().clone();
                if (nan) {
                    s[0] = Float.NaN;
                }
                out.put(p.name(), s);
            }
            return new Scores(out);
        }
    }

    private static PruningStrategyContract<NoOptions> contract(PruningStrategy<NoOptions> strategy) {
        return new PruningStrategyContract<>() {
            @Override
            protected PruningStrategy<NoOptions> strategy() {
                return strategy;
            }
        };
    }

    @Test
    void aWellBehavedStrategyPasses() {
        var c = contract(new Probe(true, false));
        c.identityIsWellFormed();
        c.optionsBindFromTheirDefaultsAndAreDocumented();
        c.scoresAreDeterministic();
        c.scoresEveryElementOfEveryPrunableParameterWithAFiniteNumber();
        c.asksOnlyForDeclaredCapabilities();
        c.aMissingDeclaredCapabilityGivesAClearError();
    }

    @Test
    void anUndeclaredCapabilityFails() {
        assertThatThrownBy(() -> contract(new Probe(false, false)).asksOnlyForDeclaredCapabilities())
                .isInstanceOf(AssertionError.class).hasMessageContaining("GradientProbe");
    }

    @Test
    void aNonFiniteScoreFails() {
        assertThatThrownBy(() -> contract(new Probe(true, true))
                .scoresEveryElementOfEveryPrunableParameterWithAFiniteNumber())
                .isInstanceOf(AssertionError.class).hasMessageContaining("NaN");
    }

    /**
     * Options with every kind of default.
     *
     * @param rate  a number
     * @param sizes a list
     * @param mode  an enum
     * @param note  an optional
     */
    record Options(@Doc("a") @DefaultValue("0.5") double rate, @Doc("b") @DefaultValue("[3, 4]") List<Integer> sizes,
            @Doc("c") @DefaultValue("gauss-newton") Mode mode, @Doc("d") Optional<String> note) {
    }

    /** An enum option. */
    enum Mode {
        /** One. */
        EMPIRICAL,
        /** Two. */
        GAUSS_NEWTON
    }

    @Test
    void optionsAreMadeFromTheirDefaults() {
        assertThat(DefaultOptions.defaults(Options.class))
                .isEqualTo(new Options(0.5, List.of(3, 4), Mode.GAUSS_NEWTON, Optional.empty()));
        assertThat(StrategyTestContext.offering(1, EnumSet.of(Requirement.WEIGHTS)).calibration()).isEmpty();
    }
}
