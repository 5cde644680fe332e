package dev.bonsai.strategies.obd;

/** How optimal brain damage obtains the Hessian diagonal. */
public enum Curvature {
    /** The exact diagonal, one Hessian-vector product per weight: for small networks. */
    EXACT,
    /** Hutchinson's estimate E[z ⊙ Hz] with Rademacher probes. */
    HUTCHINSON,
    /** LeCun's positive Gauss–Newton approximation, as a Monte-Carlo Fisher with labels sampled from the model. */
    GAUSS_NEWTON,
    /** The empirical Fisher: mean squared per-sample gradient at the true labels. */
    EMPIRICAL_FISHER
}
