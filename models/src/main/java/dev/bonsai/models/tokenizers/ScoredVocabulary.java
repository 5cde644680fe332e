package dev.bonsai.models.tokenizers;

import java.util.List;
import java.util.Objects;

/**
 * A sentencepiece-style BPE vocabulary as llama2.c's {@code tok*.bin} and GGUF's {@code tokenizer.ggml.*} hold it:
 * one piece per id with its merge score and type. Pieces spell their text with a plain space (a GGUF's {@code ▁} is
 * replaced on reading and restored on writing); byte-fallback pieces are {@code <0x00>} … {@code <0xFF>}.
 *
 * @param pieces the piece of each id
 * @param scores the merge score of each id (higher merges first)
 * @param types  the sentencepiece type of each id: {@link #NORMAL}, {@link #UNKNOWN}, {@link #CONTROL},
 *               {@link #USER_DEFINED}, {@link #UNUSED} or {@link #BYTE}
 * @param bos    the beginning-of-sequence id, or −1
 * @param eos    the end-of-sequence id, or −1
 * @param unk    the unknown-piece id, or −1
 */
public record ScoredVocabulary(List<String> pieces, float[] scores, int[] types, int bos, int eos, int unk) {
    /** A piece of text. */
    public static final int NORMAL = 1;
    /** The unknown piece. */
    public static final int UNKNOWN = 2;
    /** A control token such as BOS or EOS. */
    public static final int CONTROL = 3;
    /** A user-defined piece, matched whole. */
    public static final int USER_DEFINED = 4;
    /** An unused piece. */
    public static final int UNUSED = 5;
    /** A byte-fallback piece {@code <0xXX>}. */
    public static final int BYTE = 6;

    /** Checks that every id has a piece, a score and a type, and that the special ids are in range. */
    public ScoredVocabulary {
        pieces = List.copyOf(Objects.requireNonNull(pieces, "pieces"));
        if (scores.length != pieces.size() || types.length != pieces.size()) {
            throw new IllegalArgumentException("a vocabulary of " + pieces.size() + " pieces has " + scores.length
                    + " scores and " + types.length + " types");
        }
        for (int id : new int[] {bos, eos, unk}) {
            if (id < -1 || id >= pieces.size()) {
                throw new IllegalArgumentException("special id " + id + " is outside the vocabulary of "
                        + pieces.size());
            }
        }
        scores = scores.clone();
        types = types.clone();
    }

    /** The number of pieces. */
    public int size() {
        return pieces.size();
    }
}
