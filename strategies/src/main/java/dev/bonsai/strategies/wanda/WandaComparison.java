package dev.bonsai.strategies.wanda;

/** Which weights Wanda's scores compete with. */
public enum WandaComparison {
    /** Within each output row, as the paper defines Wanda: every row loses the same share of its weights. */
    ROW,
    /** Under the descriptor's scope (layerwise or global). */
    SCOPE
}
