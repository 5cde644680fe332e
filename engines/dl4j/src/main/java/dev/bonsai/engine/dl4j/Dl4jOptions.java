package dev.bonsai.engine.dl4j;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;

/**
 * Options of the Deeplearning4j / ND4J engine.
 *
 * @param threads threads ND4J (OpenMP and its BLAS) uses for one operation; 0 keeps ND4J's default (one per core).
 *                The setting is process-wide, as it is in ND4J. The default is 1: ND4J's OpenMP threads spin while
 *                they wait, and on a machine whose cores are shared with other work one epoch of LeNet-300-100 took
 *                158 s with ND4J's default against 15–48 s with one thread; on a dedicated machine 0 may be faster.
 */
@Doc("Options of the Deeplearning4j / ND4J engine.")
public record Dl4jOptions(
        @Doc("Threads ND4J uses for one operation (process-wide); 0 keeps ND4J's default, one per core, which can be"
                + " much slower where cores are shared, as ND4J's threads spin while they wait.")
        @DefaultValue("1") @Range(min = 0, max = 4096) int threads) {

    /** Checks the values. */
    public Dl4jOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be ≥ 0, got " + threads);
        }
    }

    /** The options with every value at its default. */
    public static Dl4jOptions defaults() {
        return new Dl4jOptions(1);
    }
}
