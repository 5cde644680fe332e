package dev.bonsai.api.prune;

import dev.bonsai.api.Plugin;
import java.util.Set;

/**
 * Scores parameters: which weights matter least. A strategy never selects or applies a mask; it returns one
 * score per element of each prunable parameter, higher meaning more important to keep.
 *
 * @param <O> the options record
 */
public interface PruningStrategy<O extends Record> extends Plugin<O> {

    /** What this strategy needs with these options; the host supplies it or refuses before any work. */
    Set<Requirement> requirements(O options);

    /** The scores of every parameter in {@link PruningContext#prunable()}. */
    Scores score(O options, PruningContext context);
}
