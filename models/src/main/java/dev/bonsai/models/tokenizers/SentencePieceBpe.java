package dev.bonsai.models.tokenizers;

import dev.bonsai.api.data.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Sentencepiece BPE with byte fallback over a {@link ScoredVocabulary}, encoding exactly as llama2.c's {@code run.c}
 * does (which is how sentencepiece encodes LLaMA-2 text):
 * <ol>
 *   <li>a non-empty text gets the dummy prefix: the piece {@code " "} before its first character;</li>
 *   <li>each code point becomes the piece that spells it, or, when there is none, one byte-fallback piece
 *       {@code <0xXX>} per byte of its UTF-8 (the unknown piece where the vocabulary has no byte pieces);</li>
 *   <li>then, repeatedly, the adjacent pair whose concatenated text is a piece with the highest score is merged into
 *       that piece, the leftmost pair on ties, until no adjacent pair concatenates to a piece.</li>
 * </ol>
 * Pairs are concatenated as the pieces spell them, byte-fallback and control pieces included, and user-defined
 * pieces are merged like any other (sentencepiece matches them whole first), as {@code run.c} does; LLaMA-2's
 * vocabulary has no user-defined pieces.
 *
 * <p>Every merge the vocabulary allows is tabled once ({@link MergeTable}), and the merges run over a priority
 * queue of the adjacent pairs (score, then position): a merge queues only the two pairs it makes, so encoding
 * costs O(n log n) for n characters, where {@code run.c} rescans every pair after every merge. The queue picks the
 * same pair at every step as that scan. Instances are immutable and may be shared between threads.
 *
 * <p>{@link #decode} joins the pieces, turns runs of byte-fallback pieces back into their UTF-8 text (a malformed
 * run becomes U+FFFD), omits control pieces (BOS, EOS), and drops one leading space from the first piece of the
 * sequence and from the first piece after each BOS: the dummy prefix, which {@code run.c} drops after BOS when
 * printing and sentencepiece drops at the start. So {@code decode(encode(text))} is {@code text} for every text the
 * vocabulary spells (with byte fallback: every text). To decode a continuation of a prompt, decode prompt and
 * continuation together and cut the prompt's text off: decoded alone, a continuation loses its first space.
 */
public final class SentencePieceBpe implements Tokenizer {
    /** The score {@code run.c}'s search for the best merge starts from: only higher-scoring pieces are merged. */
    private static final float RUN_C_LOWEST_SCORE = -1e10f;
    private final ScoredVocabulary vocabulary;
    private final Map<String, Integer> idOfPiece;
    private final int[] byteIds;
    /** The id of each one-char piece by its char, −1 where there is none (most code points are one char). */
    private final int[] idOfChar;
    private final MergeTable merges;

    /**
     * The tokenizer of {@code vocabulary}. Where two ids spell the same piece, text is encoded with the lower id.
     *
     * @throws IllegalArgumentException when the vocabulary is empty
     */
    public SentencePieceBpe(ScoredVocabulary vocabulary) {
        this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
        if (vocabulary.size() == 0) {
            throw new IllegalArgumentException("a BPE tokenizer needs a vocabulary with at least one piece");
        }
        this.idOfPiece = new HashMap<>(vocabulary.size() * 2);
        for (int id = 0; id < vocabulary.size(); id++) {
            idOfPiece.putIfAbsent(vocabulary.pieces().get(id), id);
        }
        this.idOfChar = new int[Character.MAX_VALUE + 1];
        Arrays.fill(idOfChar, -1);
        idOfPiece.forEach((piece, id) -> {
            if (piece.length() == 1) {
                idOfChar[piece.charAt(0)] = id;
            }
        });
        this.byteIds = new int[256];
        for (int b = 0; b < 256; b++) {
            Integer id = idOfPiece.get(bytePiece(b));
            byteIds[b] = id == null ? -1 : id;
        }
        // run.c starts its search for the best pair at -1e10: a piece scored no higher is never merged into
        this.merges = new MergeTable(vocabulary.pieces(), id -> vocabulary.scores()[id] > RUN_C_LOWEST_SCORE);
    }

    /** The vocabulary it encodes with (for writers of checkpoint formats). */
    public ScoredVocabulary vocabulary() {
        return vocabulary;
    }

    /** The byte-fallback piece of byte {@code b}: {@code <0xXX>} with upper-case hex digits. */
    public static String bytePiece(int b) {
        return String.format("<0x%02X>", b & 0xFF);
    }

    @Override
    public int vocabularySize() {
        return vocabulary.size();
    }

    @Override
    public String piece(int id) {
        return vocabulary.pieces().get(Objects.checkIndex(id, vocabulary.size()));
    }

    @Override
    public OptionalInt bos() {
        return vocabulary.bos() < 0 ? OptionalInt.empty() : OptionalInt.of(vocabulary.bos());
    }

    @Override
    public OptionalInt eos() {
        return vocabulary.eos() < 0 ? OptionalInt.empty() : OptionalInt.of(vocabulary.eos());
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the text has an unpaired surrogate (it is not Unicode text), naming its
     *                                  index, or when a character has neither a piece nor byte-fallback pieces and
     *                                  the vocabulary has no unknown piece
     */
    @Override
    public int[] encode(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            return new int[0];
        }
        int[] ids = new int[text.length() * 3 + 3]; // at most 3 UTF-8 bytes per UTF-16 unit, and the prefix
        int n = 0;
        n = appendCharacter(" ", ids, n, -1);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (Character.isSurrogate((char) cp)) {
                throw new IllegalArgumentException("the text has an unpaired UTF-16 surrogate U+"
                        + String.format("%04X", cp) + " at index " + i + ": it is not Unicode text and has no "
                        + "UTF-8 bytes to encode; repair the text");
            }
            int next = i + Character.charCount(cp);
            int id = next == i + 1 ? idOfChar[cp] : -1;
            if (id >= 0) {
                ids[n++] = id;
            } else {
                n = appendCharacter(text.substring(i, next), ids, n, i);
            }
            i = next;
        }
        return merge(ids, n);
    }

    /** Appends the id of {@code character}, or its byte-fallback ids, at {@code ids[n]}; returns the new count. */
    private int appendCharacter(String character, int[] ids, int n, int index) {
        Integer id = idOfPiece.get(character);
        if (id != null) {
            ids[n++] = id;
            return n;
        }
        for (byte b : character.getBytes(StandardCharsets.UTF_8)) {
            int fallback = byteIds[b & 0xFF];
            if (fallback < 0) {
                fallback = vocabulary.unk();
            }
            if (fallback < 0) {
                throw new IllegalArgumentException("the character U+" + String.format("%04X",
                        character.codePointAt(0)) + (index < 0 ? " of the dummy prefix" : " at index " + index)
                        + " has no piece, the vocabulary has no byte-fallback piece " + bytePiece(b)
                        + " and no unknown piece, so it cannot be encoded");
            }
            ids[n++] = fallback;
            if (fallback == vocabulary.unk()) {
                // sentencepiece without byte fallback spells a whole unknown character as one unknown piece
                break;
            }
        }
        return n;
    }

    /** The ids after every merge, as {@code run.c}'s loop makes them. */
    private int[] merge(int[] ids, int n) {
        int[] next = new int[n];
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        PairQueue queue = new PairQueue(n);
        for (int i = 0; i + 1 < n; i++) {
            offer(queue, ids, i, i + 1);
        }
        while (!queue.isEmpty()) {
            long key = queue.poll();
            int left = PairQueue.position(key);
            int right = next[left];
            // A queued pair may since have changed. The pair now at `left` is merged only when its key is this one;
            // it then has an equal key in the queue of its own, so merging it now keeps run.c's order.
            if (right < 0) {
                continue;
            }
            int merged = mergeOf(ids[left], ids[right]);
            if (merged < 0 || PairQueue.key(score(merged), left) != key) {
                continue;
            }
            ids[left] = merged;
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            next[right] = -1;
            prev[right] = -1;
            if (prev[left] >= 0) {
                offer(queue, ids, prev[left], left);
            }
            if (next[left] >= 0) {
                offer(queue, ids, left, next[left]);
            }
        }
        int count = 0;
        for (int i = 0; i >= 0; i = next[i]) {
            count++;
        }
        int[] out = new int[count];
        int k = 0;
        for (int i = 0; i >= 0; i = next[i]) {
            out[k++] = ids[i];
        }
        return out;
    }

    private void offer(PairQueue queue, int[] ids, int left, int right) {
        int merged = mergeOf(ids[left], ids[right]);
        if (merged >= 0) {
            queue.add(PairQueue.key(score(merged), left));
        }
    }

    /** A piece's merge score, −0 as +0 so that equal scores tie as run.c's {@code >} sees them. */
    private float score(int id) {
        return vocabulary.scores()[id] + 0.0f;
    }

    /** The id of the piece that {@code a}'s and {@code b}'s pieces concatenate to, or −1. */
    private int mergeOf(int a, int b) {
        return merges.merged(a, b);
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        boolean start = true;
        for (int id : ids) {
            Objects.checkIndex(id, vocabulary.size());
            if (vocabulary.types()[id] == ScoredVocabulary.CONTROL) {
                if (id == vocabulary.bos()) {
                    start = true;
                }
                continue;
            }
            byte[] bytes = bytesOf(id);
            int from = start && bytes.length > 0 && bytes[0] == ' ' ? 1 : 0;
            out.write(bytes, from, bytes.length - from);
            start = false;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private byte[] bytesOf(int id) {
        String piece = vocabulary.pieces().get(id);
        if (vocabulary.types()[id] == ScoredVocabulary.BYTE && piece.length() == 6 && piece.startsWith("<0x")
                && piece.endsWith(">")) {
            try {
                return new byte[] {(byte) Integer.parseInt(piece.substring(3, 5), 16)};
            } catch (NumberFormatException e) {
                // a byte-typed piece that does not spell a byte is printed as it is
            }
        }
        return piece.getBytes(StandardCharsets.UTF_8);
    }
}
