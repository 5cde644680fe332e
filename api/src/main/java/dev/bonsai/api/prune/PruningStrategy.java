package dev.bonsai.api.prune;

import dev.bonsai.api.Experimental;
import dev.bonsai.api.Plugin;
import dev.bonsai.api.model.Weights;
import java.util.Optional;
import java.util.Set;

/**
 * Scores parameters: which weights matter least. A strategy never selects or applies a mask; it returns one
 * score per element of each prunable parameter, higher meaning more important to keep, and may then
 * {@linkplain #compensate correct the remaining weights} for the mask the host selected. A method whose choices
 * depend on its own weight updates implements {@link MaskSelectingStrategy} instead.
 *
 * @param <O> the options record
 */
public interface PruningStrategy<O extends Record> extends Plugin<O> {

    /** What this strategy needs with these options; the host supplies it or refuses before any work. */
    Set<Requirement> requirements(O options);

    /**
     * The scope this strategy's scores are meant to be compared under, when its method fixes one (Wanda compares
     * the weights of each output row, {@link Scope#ROW}); the host then selects under it instead of the
     * descriptor's scope. Empty, the default, leaves the descriptor's scope in force.
     */
    @Experimental("a strategy's own comparison group is settled for unstructured and N:M selection only")
    default Optional<Scope> scope(O options) {
        return Optional.empty();
    }

    /** The scores of every parameter in {@link PruningContext#prunable()}. */
    Scores score(O options, PruningContext context);

    /**
     * New values for the weights that remain once {@code masks} are applied, when the strategy corrects them for
     * what was removed (as optimal brain surgeon does); empty when it does not, which is the default. Called after
     * selection, with the same context as {@link #score}; the host loads the returned tensors (any subset of the
     * parameters) and then enforces the masks.
     */
    default Optional<Weights> compensate(O options, PruningContext context, MaskSet masks) {
        return Optional.empty();
    }
}
