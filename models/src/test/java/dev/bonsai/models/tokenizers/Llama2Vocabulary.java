package dev.bonsai.models.tokenizers;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The 32,000-piece LLaMA-2 vocabulary from the metadata of the shared {@code llama-2-tiny-random.gguf}, read by a
 * minimal GGUF v3 metadata walk (tests only: the GGUF format itself is read elsewhere); tests skip without the file.
 */
final class Llama2Vocabulary {
    private Llama2Vocabulary() {
    }

    static ScoredVocabulary read() throws IOException {
        Path file = null;
        for (Path dir = Path.of("").toAbsolutePath(); dir != null && file == null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/models/llama-2-tiny-random/llama-2-tiny-random.gguf");
            if (Files.isRegularFile(candidate)) {
                file = candidate;
            }
        }
        assumeTrue(file != null, "no shared/models/llama-2-tiny-random/llama-2-tiny-random.gguf above "
                + Path.of("").toAbsolutePath() + ": skipping the test with the LLaMA-2 vocabulary");
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt() != 0x46554747 || b.getInt() != 3) {
            throw new IOException(file + " is not a GGUF v3 file");
        }
        b.getLong(); // tensors
        long pairs = b.getLong();
        List<String> pieces = null;
        float[] scores = null;
        int[] types = null;
        int bos = -1;
        int eos = -1;
        int unk = -1;
        for (long p = 0; p < pairs; p++) {
            String key = string(b);
            int type = b.getInt();
            switch (key) {
                case "tokenizer.ggml.tokens" -> {
                    expectArrayOf(b, 8);
                    int n = Math.toIntExact(b.getLong());
                    pieces = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        pieces.add(string(b).replace('\u2581', ' '));
                    }
                }
                case "tokenizer.ggml.scores" -> {
                    expectArrayOf(b, 6);
                    scores = new float[Math.toIntExact(b.getLong())];
                    for (int i = 0; i < scores.length; i++) {
                        scores[i] = b.getFloat();
                    }
                }
                case "tokenizer.ggml.token_type" -> {
                    expectArrayOf(b, 5);
                    types = new int[Math.toIntExact(b.getLong())];
                    for (int i = 0; i < types.length; i++) {
                        types[i] = b.getInt();
                    }
                }
                case "tokenizer.ggml.bos_token_id" -> bos = (int) scalar(b, type);
                case "tokenizer.ggml.eos_token_id" -> eos = (int) scalar(b, type);
                case "tokenizer.ggml.unknown_token_id" -> unk = (int) scalar(b, type);
                default -> skip(b, type);
            }
        }
        return new ScoredVocabulary(pieces, scores, types, bos, eos, unk);
    }

    private static void expectArrayOf(ByteBuffer b, int elementType) throws IOException {
        int type = b.getInt();
        if (type != elementType) {
            throw new IOException("expected an array of GGUF type " + elementType + ", found " + type);
        }
    }

    private static String string(ByteBuffer b) {
        byte[] bytes = new byte[Math.toIntExact(b.getLong())];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static long scalar(ByteBuffer b, int type) {
        return switch (type) {
            case 0, 1, 7 -> b.get();
            case 2, 3 -> b.getShort();
            case 4, 5 -> b.getInt();
            case 10, 11 -> b.getLong();
            default -> throw new IllegalStateException("not an integer GGUF type: " + type);
        };
    }

    private static void skip(ByteBuffer b, int type) {
        switch (type) {
            case 0, 1, 7 -> b.get();
            case 2, 3 -> b.getShort();
            case 4, 5, 6 -> b.getInt();
            case 10, 11, 12 -> b.getLong();
            case 8 -> string(b);
            case 9 -> {
                int element = b.getInt();
                long n = b.getLong();
                for (long i = 0; i < n; i++) {
                    skip(b, element);
                }
            }
            default -> throw new IllegalStateException("unknown GGUF type " + type);
        }
    }
}
