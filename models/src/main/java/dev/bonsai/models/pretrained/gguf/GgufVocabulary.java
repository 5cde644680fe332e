package dev.bonsai.models.pretrained.gguf;

import dev.bonsai.models.tokenizers.ScoredVocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sentencepiece vocabulary of a GGUF ({@code tokenizer.ggml.model = llama}) as a {@link ScoredVocabulary}, and
 * back. The file spells a space as {@code ▁} (U+2581); the vocabulary uses a plain space. Absent scores read as 0,
 * absent types as normal and absent special ids as sentencepiece's (unknown 0, BOS 1, EOS 2), as llama.cpp does.
 */
final class GgufVocabulary {
    /** The tokenizer model this class reads and writes. */
    static final String MODEL = "llama";

    private static final String K = "tokenizer.ggml.";
    private static final String SPACE_MARK = "\u2581";

    private GgufVocabulary() {
    }

    /** The vocabulary in {@code m}, which must hold {@code vocab} pieces. */
    static ScoredVocabulary read(GgufMetadata m, int vocab) {
        String model = m.string(K + "model");
        if (!MODEL.equals(model)) {
            throw m.error("its tokenizer is '" + model + "' (" + K + "model); this reader takes sentencepiece"
                    + " vocabularies ('" + MODEL + "'). Load the model from its Hugging Face folder, whose"
                    + " tokenizer.json describes other tokenizers.");
        }
        List<String> tokens = m.strings(K + "tokens");
        float[] scores = m.contains(K + "scores") ? m.floats(K + "scores") : new float[tokens.size()];
        int[] types = new int[tokens.size()];
        if (m.contains(K + "token_type")) {
            types = m.ints(K + "token_type");
        } else {
            Arrays.fill(types, ScoredVocabulary.NORMAL);
        }
        if (tokens.size() != vocab || scores.length != vocab || types.length != vocab) {
            throw m.error("the tokenizer has " + tokens.size() + " tokens, " + scores.length + " scores and "
                    + types.length + " token types, but the token embedding has " + vocab + " rows");
        }
        List<String> pieces = new ArrayList<>(tokens.size());
        for (String t : tokens) {
            pieces.add(t.replace(SPACE_MARK, " "));
        }
        int bos = special(m, "bos_token_id", 1, vocab);
        int eos = special(m, "eos_token_id", 2, vocab);
        int unk = special(m, "unknown_token_id", 0, vocab);
        return new ScoredVocabulary(pieces, scores, types, bos, eos, unk);
    }

    private static int special(GgufMetadata m, String name, int fallback, int vocab) {
        long id = m.optionalInteger(K + name).orElse(fallback);
        if (id < 0 || id >= vocab) {
            throw m.error(K + name + " is " + id + ", outside the vocabulary of " + vocab + " tokens");
        }
        return (int) id;
    }

    /** The metadata entries of {@code v}. */
    static Map<String, GgufValue> entries(ScoredVocabulary v) {
        Map<String, GgufValue> out = new LinkedHashMap<>();
        out.put(K + "model", GgufValue.of(GgufValueType.STRING, MODEL));
        List<String> tokens = new ArrayList<>(v.size());
        List<Float> scores = new ArrayList<>(v.size());
        List<Long> types = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            tokens.add(v.pieces().get(i).replace(" ", SPACE_MARK));
            scores.add(v.scores()[i]);
            types.add((long) v.types()[i]);
        }
        out.put(K + "tokens", GgufValue.array(GgufValueType.STRING, tokens));
        out.put(K + "scores", GgufValue.array(GgufValueType.FLOAT32, scores));
        out.put(K + "token_type", GgufValue.array(GgufValueType.INT32, types));
        putId(out, "bos_token_id", v.bos());
        putId(out, "eos_token_id", v.eos());
        putId(out, "unknown_token_id", v.unk());
        return out;
    }

    private static void putId(Map<String, GgufValue> out, String name, int id) {
        if (id >= 0) {
            out.put(K + name, GgufValue.of(GgufValueType.UINT32, (long) id));
        }
    }
}
