package dev.bonsai.models.tokenizers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * llama2.c's tokenizer file ({@code tokenizer.bin}, {@code tok512.bin}, ...), little-endian: an int32
 * {@code max_token_length}, then for each id a float32 merge score, an int32 byte length and the piece's UTF-8
 * bytes (a sentencepiece {@code ▁} already written as a space). The file does not store the number of pieces, the
 * types or the special ids: llama2.c's {@code run.c} fixes them, and so does {@link #read}: id 0 is the unknown
 * piece, 1 BOS and 2 EOS (both control pieces), pieces spelled {@code <0xXX>} are byte fallbacks, and every other
 * piece is normal. Only scores and pieces survive a write and read; other types (user-defined, unused) read back
 * as normal.
 */
public final class Llama2cTokenizerFile {
    /** The unknown piece's id. */
    public static final int UNK = 0;
    /** The beginning-of-sequence id. */
    public static final int BOS = 1;
    /** The end-of-sequence id. */
    public static final int EOS = 2;
    /** The id of the first byte-fallback piece: {@code run.c} spells byte b as id b + 3. */
    public static final int FIRST_BYTE = 3;

    private Llama2cTokenizerFile() {
    }

    /**
     * Every piece of the tokenizer file {@code file}, read to its end.
     *
     * @throws IOException when it cannot be read, is truncated, a piece is longer than the header's maximum or not
     *                     UTF-8, or it has fewer than the 3 pieces llama2.c fixes (naming the file, piece and byte)
     */
    public static ScoredVocabulary read(Path file) throws IOException {
        return read(file, -1);
    }

    /**
     * The first {@code pieces} pieces of the tokenizer file {@code file}, as {@code run.c} reads a model's
     * {@code vocab_size} of them; bytes after them are an error.
     *
     * @throws IOException as {@link #read(Path)} does, and when the file holds a different number of pieces
     */
    public static ScoredVocabulary read(Path file, int pieces) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        String where = "llama2.c tokenizer file " + file;
        if (b.remaining() < Integer.BYTES) {
            throw new IOException(where + " has " + b.remaining() + " bytes: expected at least the 4-byte header "
                    + "(max_token_length)");
        }
        int maxLength = b.getInt();
        if (maxLength < 0) {
            throw new IOException(where + " has max_token_length " + maxLength + " in its header: expected a "
                    + "non-negative byte count; is it a llama2.c tokenizer file?");
        }
        List<String> list = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        while (pieces < 0 ? b.hasRemaining() : list.size() < pieces) {
            int at = b.position();
            if (b.remaining() < 8) {
                throw new IOException(where + " is truncated: piece " + list.size() + " starts at byte " + at
                        + " but only " + b.remaining() + " of its 8 header bytes (score, length) remain"
                        + (pieces < 0 ? "" : "; the model expects " + pieces + " pieces"));
            }
            float score = b.getFloat();
            int length = b.getInt();
            if (length < 0 || length > maxLength || length > b.remaining()) {
                throw new IOException(where + ": piece " + list.size() + " at byte " + at + " claims " + length
                        + " bytes, but the header's max_token_length is " + maxLength + " and " + b.remaining()
                        + " bytes remain: the file is truncated or not a llama2.c tokenizer file");
            }
            ByteBuffer bytes = b.slice(b.position(), length);
            b.position(b.position() + length);
            try {
                CharBuffer text = decoder.decode(bytes);
                list.add(text.toString());
            } catch (CharacterCodingException e) {
                throw new IOException(where + ": piece " + list.size() + " at byte " + at + " is not UTF-8 text ("
                        + e.getMessage() + "); llama2.c writes every piece as UTF-8", e);
            }
            scores.add(score);
        }
        if (pieces >= 0 && b.hasRemaining()) {
            throw new IOException(where + " has " + b.remaining() + " bytes after its first " + pieces
                    + " pieces: it holds a larger vocabulary than the model's " + pieces + "; use the model's own "
                    + "tokenizer file");
        }
        if (list.size() < FIRST_BYTE) {
            throw new IOException(where + " has " + list.size() + " pieces; llama2.c needs at least <unk>, BOS and "
                    + "EOS (ids 0, 1, 2)");
        }
        float[] s = new float[list.size()];
        int[] types = new int[list.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = scores.get(i);
            types[i] = typeOf(i, list.get(i));
        }
        return new ScoredVocabulary(list, s, types, BOS, EOS, UNK);
    }

    /** The type llama2.c gives piece {@code id} spelled {@code piece}. */
    static int typeOf(int id, String piece) {
        if (id == UNK) {
            return ScoredVocabulary.UNKNOWN;
        }
        if (id == BOS || id == EOS) {
            return ScoredVocabulary.CONTROL;
        }
        return isBytePiece(piece) ? ScoredVocabulary.BYTE : ScoredVocabulary.NORMAL;
    }

    private static boolean isBytePiece(String piece) {
        return piece.length() == 6 && piece.startsWith("<0x") && piece.endsWith(">")
                && isUpperHex(piece.charAt(3)) && isUpperHex(piece.charAt(4));
    }

    private static boolean isUpperHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    }

    /**
     * The bytes of a tokenizer file holding {@code vocabulary}, as {@link #read} reads them; {@code max_token_length}
     * is the longest piece's byte length.
     *
     * @throws IllegalArgumentException when the vocabulary's ids are not the ones {@code run.c} fixes: unknown 0,
     *                                  BOS 1, EOS 2, and byte b's fallback piece {@code <0xXX>} at id b + 3
     */
    public static byte[] bytes(ScoredVocabulary vocabulary) {
        checkRunCIds(vocabulary);
        List<byte[]> encoded = new ArrayList<>(vocabulary.size());
        int maxLength = 0;
        long total = Integer.BYTES;
        for (String piece : vocabulary.pieces()) {
            byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
            encoded.add(bytes);
            maxLength = Math.max(maxLength, bytes.length);
            total += 8L + bytes.length;
        }
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(total)).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(maxLength);
        for (int i = 0; i < encoded.size(); i++) {
            out.putFloat(vocabulary.scores()[i]).putInt(encoded.get(i).length).put(encoded.get(i));
        }
        return out.array();
    }

    /**
     * Writes {@code vocabulary} to {@code target} as a tokenizer file, through a temporary file in the same folder
     * moved into place, so that a failed write leaves nothing at {@code target}.
     *
     * @throws FileAlreadyExistsException when {@code target} exists (nothing is replaced)
     * @throws IllegalArgumentException   as {@link #bytes} does
     */
    public static void write(ScoredVocabulary vocabulary, Path target) throws IOException {
        byte[] bytes = bytes(vocabulary);
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null,
                    "a llama2.c tokenizer file is never written over an existing file; remove it or pick another name");
        }
        Path folder = target.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(folder, target.getFileName().toString(), ".partial");
        try {
            Files.write(temporary, bytes);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void checkRunCIds(ScoredVocabulary v) {
        if (v.unk() != UNK || v.bos() != BOS || v.eos() != EOS) {
            throw new IllegalArgumentException("llama2.c's run.c fixes the unknown piece at id 0, BOS at 1 and EOS at "
                    + "2, but this vocabulary has them at " + v.unk() + ", " + v.bos() + " and " + v.eos()
                    + ": its ids would be read back wrongly; export the model in a format that stores them "
                    + "(GGUF or a Hugging Face folder)");
        }
        for (int b = 0; b < 256; b++) {
            int id = FIRST_BYTE + b;
            String expected = SentencePieceBpe.bytePiece(b);
            if (id >= v.size() || !v.pieces().get(id).equals(expected)) {
                throw new IllegalArgumentException("llama2.c's run.c spells byte " + b + " as id " + id + ", which "
                        + "must be the piece " + expected + ", but this vocabulary has "
                        + (id >= v.size() ? "only " + v.size() + " pieces" : "'" + v.pieces().get(id) + "' there")
                        + ": export the model in a format that stores its byte pieces (GGUF or a Hugging Face "
                        + "folder)");
            }
        }
    }
}
