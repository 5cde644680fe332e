package dev.bonsai.api.prune;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Experimental;

/**
 * A strategy that selects its own masks while it updates the remaining weights, because each choice depends on the
 * updates made before it (SparseGPT picks the weights of each column block from the values its earlier columns
 * corrected), so a ranking computed up front cannot express it.
 *
 * <p>The host calls {@link #prune} instead of score → select → compensate. It still owns the target: it hands the
 * strategy each parameter's sparsity for the round and the structure ({@link MaskTarget}, whose
 * {@link MaskTarget#count count rule} is the selector's), then checks that the returned masks fit the prunable
 * parameters and keep every earlier pruned position pruned, enforces them, loads the returned weights and records
 * the trial as for any strategy.
 *
 * @param <O> the options record
 */
@Experimental("strategies that select their own masks are new to the SPI; the target they receive may gain fields")
public interface MaskSelectingStrategy<O extends Record> extends PruningStrategy<O> {

    /**
     * The masks of every parameter in {@link PruningContext#prunable()} for {@code target}, and the values of the
     * weights that remain. Positions pruned in {@link PruningContext#currentMasks()} must stay pruned.
     */
    PruningOutcome prune(O options, PruningContext context, MaskTarget target);

    /**
     * Refuses: the masks of such a strategy are not a ranking of scores, so there is nothing for a selector to
     * select from.
     *
     * @throws BonsaiException always
     */
    @Override
    default Scores score(O options, PruningContext context) {
        throw new BonsaiException("strategy '" + id() + "' selects its masks itself while it updates the weights, "
                + "so it has no scores for a selector; the host must call prune(options, context, target)");
    }
}
