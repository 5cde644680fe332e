package dev.bonsai.testkit.strategy;

import dev.bonsai.testkit.DefaultOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Spi;
import dev.bonsai.api.engine.Capability;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.api.prune.Requirement;
import dev.bonsai.api.prune.Scores;
import java.lang.reflect.RecordComponent;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link PruningStrategy} meets. A strategy's tests extend this class and implement
 * {@link #strategy()}; strategies whose options have required components also override {@link #options()}:
 *
 * <pre>{@code
 * class GraspStrategyTest extends PruningStrategyContract<GraspOptions> {
 *     protected PruningStrategy<GraspOptions> strategy() { return new GraspStrategy(); }
 * }
 * }</pre>
 *
 * <p>It checks the plugin's identity (id, description, SPI version), that its options bind from their
 * {@link DefaultValue}s and are documented, that it scores every element of every prunable parameter with a finite
 * number, deterministically for a context and seed, that it asks only for the capabilities it declared, and that a
 * context lacking a declared capability gives a {@link BonsaiException} naming it. Scores are computed in a
 * {@link StrategyTestContext}; override {@link #context(long, Set)} to use another.
 *
 * @param <O> the strategy's options record
 */
public abstract class PruningStrategyContract<O extends Record> {

    /** For subclasses. */
    protected PruningStrategyContract() {
    }

    /** The strategy under test; a new instance or a shared one (strategies are stateless). */
    protected abstract PruningStrategy<O> strategy();

    /** The options to score with; by default the options record with every component at its default. */
    protected O options() {
        return DefaultOptions.defaults(strategy().optionsType());
    }

    /** A context from {@code seed} offering exactly {@code offered}; by default a {@link StrategyTestContext}. */
    protected StrategyTestContext context(long seed, Set<Requirement> offered) {
        return StrategyTestContext.offering(seed, offered);
    }

    private Set<Requirement> declared() {
        Set<Requirement> declared = strategy().requirements(options());
        assertThat(declared).as("requirements(options) of '%s'", strategy().id()).isNotNull();
        return declared.isEmpty() ? EnumSet.noneOf(Requirement.class) : EnumSet.copyOf(declared);
    }

    private Scores score(StrategyTestContext context) {
        Scores scores = strategy().score(options(), context);
        assertThat(scores).as("scores of '%s'", strategy().id()).isNotNull();
        return scores;
    }

    /** The id is lower-case kebab-case, the description one non-blank line, the SPI version this API's. */
    @Test
    public void identityIsWellFormed() {
        PruningStrategy<O> s = strategy();
        assertThat(s.id()).as("id()").isNotNull().matches("[a-z0-9]+(-[a-z0-9]+)*");
        assertThat(s.description()).as("description() of '%s'", s.id()).isNotBlank().doesNotContain("\n");
        assertThat(s.spiVersion()).as("spiVersion() of '%s': implement it as 'return Spi.VERSION;'", s.id())
                .isEqualTo(Spi.VERSION);
        assertThat(s.optionsType()).as("optionsType() of '%s'", s.id()).isNotNull();
        assertThat(s.optionsType().isRecord()).as("optionsType() of '%s' is a record", s.id()).isTrue();
        assertThat(s.version()).as("version() of '%s'", s.id()).isNotBlank();
    }

    /** Options bind from their defaults, and every option is documented with {@link Doc}. */
    @Test
    public void optionsBindFromTheirDefaultsAndAreDocumented() {
        Class<O> type = strategy().optionsType();
        for (RecordComponent c : type.getRecordComponents()) {
            assertThat(c.getAnnotation(Doc.class)).as("option '%s' of %s has a @Doc for the descriptor reference",
                    c.getName(), type.getName()).isNotNull();
        }
        boolean allDefaulted = true;
        for (RecordComponent c : type.getRecordComponents()) {
            allDefaulted &= c.getAnnotation(DefaultValue.class) != null || c.getType() == Optional.class;
        }
        if (allDefaulted) {
            O defaults = DefaultOptions.defaults(type);
            assertThat(defaults).isNotNull();
            assertThat(strategy().requirements(defaults)).as("requirements(defaults)").isNotNull();
        }
        assertThat(options()).as("options()").isInstanceOf(type);
    }

    /** The same context and seed give the same scores. */
    @Test
    public void scoresAreDeterministic() {
        Set<Requirement> declared = declared();
        Scores first = score(context(42, declared));
        Scores second = score(context(42, declared));
        assertThat(second.asMap().keySet()).isEqualTo(first.asMap().keySet());
        first.asMap().forEach((name, s) -> assertThat(second.get(name))
                .as("scores of '%s' for %s, scored twice with the same context and seed", strategy().id(), name)
                .containsExactly(s));
    }

    /** One finite score for every element of every prunable parameter. */
    @Test
    public void scoresEveryElementOfEveryPrunableParameterWithAFiniteNumber() {
        StrategyTestContext context = context(7, declared());
        Scores scores = score(context);
        for (ParameterSpec p : context.prunable()) {
            assertThat(scores.asMap()).as("scores of '%s'", strategy().id()).containsKey(p.name());
            float[] s = scores.get(p.name());
            assertThat((long) s.length).as("scores of %s (shape %s)", p.name(), p.shape()).isEqualTo(p.size());
            for (int i = 0; i < s.length; i++) {
                if (!Float.isFinite(s[i])) {
                    fail("score %d of %s from '%s' is %s; scores must be finite", i, p.name(), strategy().id(), s[i]);
                }
            }
        }
    }

    /** Scoring asks only for capabilities the strategy declared in its requirements. */
    @Test
    public void asksOnlyForDeclaredCapabilities() {
        StrategyTestContext context = context(3, declared());
        try {
            score(context);
        } catch (BonsaiException e) {
            if (context.undeclaredRequests().isEmpty()) {
                throw e;
            }
        }
        assertThat(context.undeclaredRequests())
                .as("capabilities '%s' asked for without declaring them in requirements(options) %s", strategy().id(),
                        declared())
                .isEmpty();
    }

    /** A context lacking a declared capability gives a {@link BonsaiException} naming it. */
    @Test
    public void aMissingDeclaredCapabilityGivesAClearError() {
        Set<Requirement> declared = declared();
        boolean any = false;
        for (Requirement r : declared) {
            Class<? extends Capability> capability = StrategyTestContext.capabilityOf(r);
            if (capability == null) {
                continue;
            }
            Set<Requirement> fewer = EnumSet.copyOf(declared);
            fewer.remove(r);
            StrategyTestContext context = context(5, fewer);
            Scores scores;
            try {
                scores = strategy().score(options(), context);
            } catch (BonsaiException e) {
                assertThat(e).as("the error of '%s' without %s", strategy().id(), capability.getSimpleName())
                        .hasMessageContaining(capability.getSimpleName());
                any = true;
                continue;
            } catch (RuntimeException e) {
                fail("'%s' without %s threw %s instead of a BonsaiException naming it", strategy().id(),
                        capability.getSimpleName(), e);
                continue;
            }
            assertThat(context.requests()).as("'%s' asked for %s, was refused, and scored anyway: let the"
                    + " BonsaiException propagate", strategy().id(), capability.getSimpleName()).doesNotContain(capability);
            assertThat(scores).isNotNull();
            any = true;
        }
        assumeTrue(any, "the strategy declares no capability");
    }
}
