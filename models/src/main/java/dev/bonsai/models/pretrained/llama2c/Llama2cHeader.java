package dev.bonsai.models.pretrained.llama2c;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The header of a llama2.c checkpoint, in either of its two float32 layouts (llama2.c's {@code export.py}):
 * <ul>
 *   <li>version 0 ("legacy"): seven little-endian int32 ({@code dim, hidden_dim, n_layers, n_heads, n_kv_heads,
 *       vocab_size, seq_len}); a negative {@code vocab_size} means a separate classifier follows the weights.
 *       28 bytes.</li>
 *   <li>version 1: the uint32 magic {@code 0x616b3432} ("ak42"), int32 version 1, the same seven int32 (vocabulary
 *       positive), one byte that is 1 for a shared classifier, zeros up to 256 bytes.</li>
 * </ul>
 *
 * @param version          0 or 1
 * @param dim              the model width
 * @param hidden           the feed-forward hidden width
 * @param layers           the number of blocks
 * @param heads            query heads
 * @param kvHeads          key/value heads
 * @param vocab            the vocabulary size (positive)
 * @param seqLen           the longest sequence
 * @param sharedClassifier whether the output head is the token embedding
 */
record Llama2cHeader(int version, int dim, int hidden, int layers, int heads, int kvHeads, int vocab, int seqLen,
                     boolean sharedClassifier) {
    /** The version-1 magic, "ak42" read as a little-endian uint32. */
    static final int MAGIC = 0x616b3432;
    /** The legacy header's bytes. */
    static final int LEGACY_BYTES = 7 * Integer.BYTES;
    /** The version-1 header's bytes. */
    static final int V1_BYTES = 256;

    /** The bytes before the weights. */
    int bytes() {
        return version == 0 ? LEGACY_BYTES : V1_BYTES;
    }

    /** The width of one head. */
    int headDim() {
        return dim / heads;
    }

    /**
     * The float32 values after the header: the weights, the legacy layout's rotary tables, and a separate
     * classifier when there is one.
     */
    long floats() {
        long d = dim;
        long kvDim = (long) kvHeads * headDim();
        long perLayer = 2 * d + d * d + 2 * kvDim * d + d * d + 3 * d * hidden;
        long n = (long) vocab * d + layers * perLayer + d;
        if (version == 0) {
            n += (long) seqLen * headDim(); // freq_cis_real and freq_cis_imag, seq_len × headDim/2 each
        }
        if (!sharedClassifier) {
            n += (long) vocab * d;
        }
        return n;
    }

    /** The whole file's expected length. */
    long fileBytes() {
        return bytes() + floats() * Float.BYTES;
    }

    /**
     * Reads a header from the start of a file ({@code head} holds at least its first 256 bytes, or the whole file
     * when shorter).
     *
     * @return the header, or an explanation of why these bytes are no llama2.c header
     */
    static Parsed parse(ByteBuffer head) {
        ByteBuffer b = head.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < LEGACY_BYTES) {
            return Parsed.no("it has " + b.remaining() + " bytes, fewer than the " + LEGACY_BYTES
                    + " of a llama2.c header");
        }
        int first = b.getInt(0);
        if (first == MAGIC) {
            if (b.remaining() < V1_BYTES) {
                return Parsed.no("it starts with llama2.c's magic \"ak42\" but has " + b.remaining()
                        + " bytes, fewer than the " + V1_BYTES + " of its header");
            }
            int version = b.getInt(4);
            if (version != 1) {
                return Parsed.no("it is llama2.c version " + version + "; only float32 versions 0 (legacy) and 1 are"
                        + " read (version 2 is int8-quantised)");
            }
            int[] p = ints(b, 8);
            int shared = b.get(36);
            if (shared != 0 && shared != 1) {
                return Parsed.no("its shared-classifier flag at byte 36 is " + shared + ", not 0 or 1");
            }
            return checked(1, p, p[5], shared == 1);
        }
        int[] p = ints(b, 0);
        return checked(0, p, Math.abs(p[5]), p[5] > 0);
    }

    private static int[] ints(ByteBuffer b, int at) {
        int[] p = new int[7];
        for (int i = 0; i < 7; i++) {
            p[i] = b.getInt(at + 4 * i);
        }
        return p;
    }

    private static Parsed checked(int version, int[] p, int vocab, boolean shared) {
        String values = "dim=" + p[0] + ", hidden_dim=" + p[1] + ", n_layers=" + p[2] + ", n_heads=" + p[3]
                + ", n_kv_heads=" + p[4] + ", vocab_size=" + p[5] + ", seq_len=" + p[6];
        for (int i = 0; i < 7; i++) {
            if (i != 5 && p[i] <= 0 || i == 5 && (p[5] == 0 || p[5] == Integer.MIN_VALUE)) {
                return Parsed.no("its header (" + values + ") has a size that is not positive");
            }
        }
        if (version == 1 && p[5] < 0) {
            return Parsed.no("its version-1 header has a negative vocab_size (" + values + ")");
        }
        if (p[0] % p[3] != 0 || p[3] % p[4] != 0 || (p[0] / p[3]) % 2 != 0) {
            return Parsed.no("its header (" + values + ") does not split dim into n_heads heads of even width"
                    + " shared by n_kv_heads key/value heads");
        }
        return new Parsed(new Llama2cHeader(version, p[0], p[1], p[2], p[3], p[4], vocab, p[6], shared), null);
    }

    /** This header's bytes. */
    byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(bytes()).order(ByteOrder.LITTLE_ENDIAN);
        if (version == 1) {
            b.putInt(MAGIC).putInt(1);
        }
        b.putInt(dim).putInt(hidden).putInt(layers).putInt(heads).putInt(kvHeads)
                .putInt(version == 0 && !sharedClassifier ? -vocab : vocab).putInt(seqLen);
        if (version == 1) {
            b.put((byte) (sharedClassifier ? 1 : 0));
        }
        return b.array();
    }

    /**
     * A parse's outcome.
     *
     * @param header the header, or null
     * @param reason why there is none, or null
     */
    record Parsed(Llama2cHeader header, String reason) {
        static Parsed no(String reason) {
            return new Parsed(null, reason);
        }
    }
}
