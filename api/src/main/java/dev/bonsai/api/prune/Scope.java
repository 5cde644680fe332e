package dev.bonsai.api.prune;

import dev.bonsai.api.Experimental;

/** Over which set of weights the target sparsity is met. */
public enum Scope {
    /** Every prunable parameter reaches the target on its own. */
    LAYERWISE,
    /** The target holds over all prunable parameters together; scores compete across layers. */
    GLOBAL,
    /**
     * Every output row of every prunable parameter (a dense weight's row, a conv filter) reaches the target on
     * its own: weights compete only with the other inputs of the same output, as in Wanda.
     */
    @Experimental("the row comparison group is settled for unstructured and N:M selection only")
    ROW
}
