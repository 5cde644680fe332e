package dev.bonsai.api.engine;

import dev.bonsai.api.Experimental;
import dev.bonsai.api.model.Tensor;

/**
 * Incremental decoding of a causal sequence model (input {@code [T]} token ids, output {@code [T, vocab]} logits,
 * every position seeing only itself and earlier ones): a {@link Decoder} keeps each attention layer's keys and values
 * of the positions it was given, so the logits of a new position cost one position's work instead of a forward pass
 * over the whole window. The logits it gives at a position equal those of {@link Network#logits} on the same tokens
 * placed from position 0, up to float rounding. A decoder reflects the weights its positions were given with: after
 * {@link Network#loadWeights} or training, reset it. Engines offer it where they implement it natively; generation
 * falls back to window forward passes otherwise.
 */
@Experimental("arrives with key/value-cached generation; may gain batched prompts of different lengths")
public interface IncrementalDecoding extends Capability {

    /**
     * An empty decoder for {@code streams} sequences decoded side by side, all at the same position.
     *
     * @throws IllegalArgumentException when {@code streams} is not positive
     */
    Decoder open(int streams);

    /** Decoding state: the keys and values of positions {@code 0 .. position()-1} of each stream. */
    interface Decoder extends AutoCloseable {

        /** The number of streams. */
        int streams();

        /** The number of positions given so far (the next token goes to this position). */
        int position();

        /** The most positions a decoder holds: the model's input length T. */
        int capacity();

        /**
         * Appends {@code k = tokens.length / streams()} tokens to every stream at positions
         * {@code position() .. position()+k-1} and returns the logits at the last of them.
         *
         * @param tokens the token ids, stream after stream ({@code [streams, k]} row-major), {@code k ≥ 1}
         * @return the logits {@code [streams, vocab]} at position {@code position()+k-1}
         * @throws IllegalArgumentException when the tokens are not a whole, non-empty row per stream, or would
         *                                  go past {@link #capacity()}
         */
        Tensor append(int[] tokens);

        /** Forgets every position: the next {@link #append} starts at position 0. */
        void reset();

        /** Releases the keys and values. */
        @Override
        void close();
    }
}
