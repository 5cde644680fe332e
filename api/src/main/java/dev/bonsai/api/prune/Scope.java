package dev.bonsai.api.prune;

/** Over which set of weights the target sparsity is met. */
public enum Scope {
    /** Every prunable parameter reaches the target on its own. */
    LAYERWISE,
    /** The target holds over all prunable parameters together; scores compete across layers. */
    GLOBAL
}
