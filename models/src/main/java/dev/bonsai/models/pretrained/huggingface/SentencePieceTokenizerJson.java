package dev.bonsai.models.pretrained.huggingface;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bonsai.models.tokenizers.ScoredVocabulary;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A sentencepiece BPE vocabulary (llama2.c's, a GGUF's) as the {@code tokenizer.json} and {@code
 * tokenizer_config.json} that transformers' {@code LlamaTokenizerFast} reads, built as transformers' own converter
 * builds it for LLaMA: a BPE model with byte fallback over the pieces ({@code ▁} for the space), the normaliser that
 * prepends {@code ▁} and turns spaces into {@code ▁} (sentencepiece's dummy prefix), a decoder that undoes both and
 * joins byte pieces, a post-processor that puts BOS first, and the merges every piece implies: each split of a piece
 * into two pieces, ranked by the merged piece's score (highest first), so that merging the lowest rank first is
 * sentencepiece's merging of the highest-scoring pair.
 */
public final class SentencePieceTokenizerJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPACE = "\u2581";

    private SentencePieceTokenizerJson() {
    }

    /**
     * The {@code tokenizer.json} of {@code vocabulary}.
     *
     * @throws IllegalArgumentException when two ids spell the same piece (a BPE vocabulary maps each piece to one id)
     */
    public static byte[] tokenizerJson(ScoredVocabulary vocabulary) {
        List<String> pieces = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        for (int id = 0; id < vocabulary.size(); id++) {
            String piece = vocabulary.pieces().get(id).replace(" ", SPACE);
            Integer earlier = ids.putIfAbsent(piece, id);
            if (earlier != null) {
                throw new IllegalArgumentException("ids " + earlier + " and " + id + " both spell the piece '"
                        + vocabulary.pieces().get(id) + "'; a tokenizer.json vocabulary maps each piece to one id,"
                        + " so this vocabulary cannot be written as one");
            }
            pieces.add(piece);
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int id = 0; id < vocabulary.size(); id++) {
            int type = vocabulary.types()[id];
            if (type == ScoredVocabulary.CONTROL || type == ScoredVocabulary.UNKNOWN
                    || type == ScoredVocabulary.USER_DEFINED) {
                added.addObject().put("id", id).put("content", pieces.get(id)).put("single_word", false)
                        .put("lstrip", false).put("rstrip", false).put("normalized", false)
                        .put("special", type != ScoredVocabulary.USER_DEFINED);
            }
        }
        ObjectNode normalizer = root.putObject("normalizer");
        normalizer.put("type", "Sequence");
        ArrayNode normalizers = normalizer.putArray("normalizers");
        normalizers.addObject().put("type", "Prepend").put("prepend", SPACE);
        normalizers.addObject().put("type", "Replace").put("content", SPACE).putObject("pattern").put("String", " ");
        root.putNull("pre_tokenizer");
        postProcessor(root, vocabulary, pieces);
        ObjectNode decoder = root.putObject("decoder");
        decoder.put("type", "Sequence");
        ArrayNode decoders = decoder.putArray("decoders");
        decoders.addObject().put("type", "Replace").put("content", " ").putObject("pattern").put("String", SPACE);
        decoders.addObject().put("type", "ByteFallback");
        decoders.addObject().put("type", "Fuse");
        decoders.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        if (vocabulary.unk() >= 0) {
            model.put("unk_token", pieces.get(vocabulary.unk()));
        } else {
            model.putNull("unk_token");
        }
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", true);
        model.put("byte_fallback", true);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < pieces.size(); id++) {
            vocab.put(pieces.get(id), id);
        }
        ArrayNode merges = model.putArray("merges");
        for (int[] m : merges(vocabulary, pieces, ids)) {
            merges.add(pieces.get(m[0]) + " " + pieces.get(m[1]));
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void postProcessor(ObjectNode root, ScoredVocabulary vocabulary, List<String> pieces) {
        if (vocabulary.bos() < 0) {
            root.putNull("post_processor");
            return;
        }
        String bos = pieces.get(vocabulary.bos());
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 1);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode special = post.putObject("special_tokens").putObject(bos);
        special.put("id", bos);
        special.putArray("ids").add(vocabulary.bos());
        special.putArray("tokens").add(bos);
    }

    /**
     * Every (left, right) pair of pieces that concatenate to a piece, ordered by that piece's score (highest first),
     * then its id, then the left and right ids, as transformers' sentencepiece extractor orders them.
     */
    private static List<int[]> merges(ScoredVocabulary vocabulary, List<String> pieces, Map<String, Integer> ids) {
        List<int[]> merges = new ArrayList<>();
        for (int id = 0; id < pieces.size(); id++) {
            int type = vocabulary.types()[id];
            if (type == ScoredVocabulary.BYTE || type == ScoredVocabulary.CONTROL || type == ScoredVocabulary.UNKNOWN) {
                continue;
            }
            String piece = pieces.get(id);
            for (int split = 1; split < piece.length(); split++) {
                if (Character.isLowSurrogate(piece.charAt(split))) {
                    continue;
                }
                Integer left = ids.get(piece.substring(0, split));
                Integer right = ids.get(piece.substring(split));
                if (left != null && right != null) {
                    merges.add(new int[] {left, right, id});
                }
            }
        }
        float[] scores = vocabulary.scores();
        merges.sort(Comparator.<int[]>comparingDouble(m -> -scores[m[2]]).thenComparingInt(m -> m[2])
                .thenComparingInt(m -> m[0]).thenComparingInt(m -> m[1]));
        return merges;
    }

    /** The {@code tokenizer_config.json} that names the class and the special tokens. */
    public static byte[] tokenizerConfig(ScoredVocabulary vocabulary, int context) {
        ObjectNode root = JSON.createObjectNode();
        root.put("tokenizer_class", "LlamaTokenizerFast");
        putPiece(root, "bos_token", vocabulary, vocabulary.bos());
        putPiece(root, "eos_token", vocabulary, vocabulary.eos());
        putPiece(root, "unk_token", vocabulary, vocabulary.unk());
        root.put("add_bos_token", vocabulary.bos() >= 0);
        root.put("add_eos_token", false);
        root.put("legacy", true);
        root.put("model_max_length", context);
        root.put("clean_up_tokenization_spaces", false);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void putPiece(ObjectNode root, String field, ScoredVocabulary vocabulary, int id) {
        if (id >= 0) {
            root.put(field, vocabulary.pieces().get(id).replace(" ", SPACE));
        } else {
            root.putNull(field);
        }
    }
}
