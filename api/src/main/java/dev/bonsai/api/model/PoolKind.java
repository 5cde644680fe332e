package dev.bonsai.api.model;

/** How a pooling layer reduces a window. */
public enum PoolKind {
    /** The maximum of the window. */
    MAX,
    /** The mean of the window. */
    AVG
}
