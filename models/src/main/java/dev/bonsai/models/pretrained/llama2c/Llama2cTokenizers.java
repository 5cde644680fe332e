package dev.bonsai.models.pretrained.llama2c;

import dev.bonsai.api.data.Tokenizer;
import dev.bonsai.models.tokenizers.ScoredVocabulary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a llama2.c checkpoint's tokenizer is: {@code tok<vocab>.bin} in the checkpoint's folder (llama2.c's custom
 * vocabularies, such as stories260K's {@code tok512.bin}), else {@code tokenizer.bin} (the 32,000-piece LLaMA-2
 * vocabulary llama2.c ships).
 */
final class Llama2cTokenizers {

    private Llama2cTokenizers() {
    }

    /** The tokenizer file of the checkpoint at {@code model}, or an error naming the files looked for. */
    static Path find(Path model, int vocab) throws IOException {
        Path folder = model.toAbsolutePath().getParent();
        Path custom = folder.resolve("tok" + vocab + ".bin");
        if (Files.isRegularFile(custom)) {
            return custom;
        }
        Path standard = folder.resolve("tokenizer.bin");
        if (Files.isRegularFile(standard)) {
            return standard;
        }
        throw new IOException("llama2.c checkpoint " + model + " has no tokenizer beside it: put its " + custom
                .getFileName() + " (or " + standard.getFileName() + ") in " + folder);
    }

    /** The tokenizer beside the checkpoint at {@code model}, checked to have {@code vocab} pieces. */
    static Tokenizer beside(Path model, int vocab) throws IOException {
        Path file = find(model, vocab);
        ScoredVocabulary vocabulary = read(file);
        if (vocabulary.size() != vocab) {
            throw new IOException("tokenizer " + file + " has " + vocabulary.size() + " pieces but checkpoint "
                    + model + " has a vocabulary of " + vocab);
        }
        return tokenizer(vocabulary);
    }

    /**
     * Reads a llama2.c tokenizer file: int32 {@code max_token_length}, then per piece float32 score, int32 byte
     * length and the UTF-8 bytes. llama2.c fixes the special ids: 0 unknown, 1 BOS, 2 EOS; pieces {@code <0xXX>}
     * are byte fallbacks.
     */
    static ScoredVocabulary read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < Integer.BYTES) {
            throw new IOException("llama2.c tokenizer " + file + " has " + b.remaining() + " bytes, no header");
        }
        int maxLength = b.getInt();
        List<String> pieces = new java.util.ArrayList<>();
        List<Float> scores = new java.util.ArrayList<>();
        while (b.hasRemaining()) {
            if (b.remaining() < 8) {
                throw new IOException("llama2.c tokenizer " + file + " is truncated at byte " + b.position()
                        + " of " + b.limit() + ", inside the header of piece " + pieces.size());
            }
            float score = b.getFloat();
            int length = b.getInt();
            if (length < 0 || length > maxLength || length > b.remaining()) {
                throw new IOException("llama2.c tokenizer " + file + ": piece " + pieces.size() + " at byte "
                        + (b.position() - 4) + " claims " + length + " bytes (the file's longest piece is "
                        + maxLength + " and " + b.remaining() + " bytes remain)");
            }
            byte[] bytes = new byte[length];
            b.get(bytes);
            pieces.add(new String(bytes, StandardCharsets.UTF_8));
            scores.add(score);
        }
        float[] s = new float[pieces.size()];
        int[] types = new int[pieces.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = scores.get(i);
            types[i] = type(i, pieces.get(i));
        }
        if (pieces.size() < 3) {
            throw new IOException("llama2.c tokenizer " + file + " has " + pieces.size() + " pieces; llama2.c needs"
                    + " at least <unk>, BOS and EOS (ids 0, 1, 2)");
        }
        return new ScoredVocabulary(pieces, s, types, 1, 2, 0);
    }

    private static int type(int id, String piece) {
        if (id == 0) {
            return ScoredVocabulary.UNKNOWN;
        }
        if (id == 1 || id == 2) {
            return ScoredVocabulary.CONTROL;
        }
        return piece.matches("<0x[0-9A-F]{2}>") ? ScoredVocabulary.BYTE : ScoredVocabulary.NORMAL;
    }

    /** The bytes of a llama2.c tokenizer file holding {@code vocabulary}, as {@link #read} reads them. */
    static byte[] bytes(ScoredVocabulary vocabulary) {
        if (vocabulary.bos() != 1 || vocabulary.eos() != 2) {
            throw new IllegalArgumentException("llama2.c fixes BOS = 1 and EOS = 2, but this vocabulary has BOS "
                    + vocabulary.bos() + " and EOS " + vocabulary.eos());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int maxLength = 0;
        for (String piece : vocabulary.pieces()) {
            maxLength = Math.max(maxLength, piece.getBytes(StandardCharsets.UTF_8).length);
        }
        out.writeBytes(le(ByteBuffer.allocate(4)).putInt(maxLength).array());
        for (int i = 0; i < vocabulary.size(); i++) {
            byte[] bytes = vocabulary.pieces().get(i).getBytes(StandardCharsets.UTF_8);
            out.writeBytes(le(ByteBuffer.allocate(8)).putFloat(vocabulary.scores()[i]).putInt(bytes.length).array());
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    /** The tokenizer of a llama2.c vocabulary: sentencepiece BPE, which this build does not have yet. */
    static Tokenizer tokenizer(ScoredVocabulary vocabulary) {
        throw new UnsupportedOperationException("llama2.c's tokenizer is sentencepiece BPE, which this build does"
                + " not include yet");
    }

    /** The scored vocabulary behind {@code tokenizer}, which this build cannot recover yet. */
    static ScoredVocabulary vocabulary(Tokenizer tokenizer) {
        throw new UnsupportedOperationException("writing a llama2.c tokenizer needs a sentencepiece BPE tokenizer,"
                + " which this build does not include yet");
    }

    private static ByteBuffer le(ByteBuffer b) {
        return b.order(ByteOrder.LITTLE_ENDIAN);
    }
}
