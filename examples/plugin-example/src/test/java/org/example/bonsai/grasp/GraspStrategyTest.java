package org.example.bonsai.grasp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.api.prune.Requirement;
import dev.bonsai.api.prune.Scores;
import dev.bonsai.testkit.strategy.PruningStrategyContract;
import dev.bonsai.testkit.strategy.StrategyTestContext;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** GraSP's own checks, plus the test kit's contract for every strategy (inherited). */
class GraspStrategyTest extends PruningStrategyContract<GraspOptions> {

    @Override
    protected PruningStrategy<GraspOptions> strategy() {
        return new GraspStrategy();
    }

    @Test
    void theAbsoluteVariantScoresTheMagnitudeOfThePlainOne() {
        var all = EnumSet.allOf(Requirement.class);
        Scores plain = strategy().score(new GraspOptions(false), StrategyTestContext.offering(1, all));
        Scores absolute = strategy().score(new GraspOptions(true), StrategyTestContext.offering(1, all));

        plain.asMap().forEach((name, s) -> {
            float[] a = absolute.get(name);
            for (int i = 0; i < s.length; i++) {
                assertThat(a[i]).isEqualTo(Math.abs(s[i]));
            }
        });
    }
}
