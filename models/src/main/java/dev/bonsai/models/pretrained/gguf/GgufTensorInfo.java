package dev.bonsai.models.pretrained.gguf;

import dev.bonsai.api.model.Shape;
import java.util.Arrays;

/**
 * One tensor's entry in a GGUF header.
 *
 * @param name   the tensor's name, for example {@code blk.0.attn_q.weight}
 * @param ne     the dimensions, innermost (fastest varying) first, as ggml orders them
 * @param type   the element type
 * @param offset the byte offset of its data from the start of the data section
 */
record GgufTensorInfo(String name, long[] ne, GgmlType type, long offset) {

    GgufTensorInfo {
        ne = ne.clone();
    }

    /** The number of elements. */
    long elements() {
        long n = 1;
        for (long d : ne) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** The bytes the data take (elements in whole blocks of the type). */
    long bytes() {
        return elements() / type.blockSize() * type.blockBytes();
    }

    /** The row-major shape, outermost first: {@code ne} reversed. */
    Shape shape() {
        int[] dims = new int[ne.length];
        for (int i = 0; i < ne.length; i++) {
            dims[ne.length - 1 - i] = Math.toIntExact(ne[i]);
        }
        return Shape.of(dims);
    }

    /** The dimensions as the file writes them, for messages. */
    String neText() {
        return Arrays.toString(ne);
    }

    @Override
    public long[] ne() {
        return ne.clone();
    }
}
