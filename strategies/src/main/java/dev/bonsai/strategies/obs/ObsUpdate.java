package dev.bonsai.strategies.obs;

/** How optimal brain surgeon corrects the weights that remain. */
public enum ObsUpdate {
    /** Exact for every row when the layer has at most 1024 inputs, sequential above. */
    AUTO,
    /** The exact least-squares correction of each row for its pruned set: O(kept³) per row. */
    EXACT,
    /** SparseGPT's column-by-column correction from the Cholesky factor of H⁻¹: O(in³ + out·in²) per layer. */
    SEQUENTIAL,
    /** No correction: OBS saliencies only. */
    NONE
}
