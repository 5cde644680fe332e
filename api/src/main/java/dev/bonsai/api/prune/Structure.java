package dev.bonsai.api.prune;

import dev.bonsai.api.Experimental;

/** The shape of what is removed. */
public sealed interface Structure {

    /** A short name for records and reports, for example {@code unstructured} or {@code 2:4}. */
    String label();

    /** Any individual weight may be removed. */
    record Unstructured() implements Structure {
        @Override
        public String label() {
            return "unstructured";
        }
    }

    /**
     * At most {@code n} of every {@code m} consecutive weights along the input dimension are kept (2:4 sparsity
     * as accelerated by recent GPUs). The sparsity is fixed at {@code 1 - n/m}.
     *
     * @param n kept per group
     * @param m group size
     */
    record NOfM(int n, int m) implements Structure {
        /** Checks {@code 0 < n < m}. */
        public NOfM {
            if (n <= 0 || n >= m) {
                throw new IllegalArgumentException("N:M structure needs 0 < n < m, got " + n + ":" + m);
            }
        }

        @Override
        public String label() {
            return n + ":" + m;
        }
    }

    /**
     * Whole units are removed and the model is rewritten smaller.
     *
     * @param unit neurons, channels, heads, MLP hidden units or whole blocks
     */
    @Experimental("structured units beyond neurons are not settled yet")
    record Groups(Unit unit) implements Structure {
        @Override
        public String label() {
            return unit.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The units of structured pruning. */
    enum Unit {
        /** Output neurons of dense layers. */
        NEURONS,
        /** Output channels of conv layers. */
        CHANNELS,
        /** Attention heads. */
        HEADS,
        /** Hidden units of transformer blocks' MLPs. */
        MLP,
        /** Whole residual blocks (depth pruning). */
        BLOCKS
    }
}
