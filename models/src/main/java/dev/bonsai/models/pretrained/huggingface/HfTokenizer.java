package dev.bonsai.models.pretrained.huggingface;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bonsai.api.data.Tokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A Hugging Face {@code tokenizer.json} as a {@link Tokenizer}, run by the Rust {@code tokenizers} library through
 * DJL (its native library ships in the jar, so nothing downloads). {@link #encode} adds no special tokens. Piece
 * names and the vocabulary size come from the file itself: the model's vocabulary and its added tokens.
 *
 * <p>It keeps the bytes of the files it was read from, so a model read from one Hugging Face folder is written to
 * another with the same tokenizer.
 */
public final class HfTokenizer implements Tokenizer {
    /** The tokenizer file. */
    public static final String FILE = "tokenizer.json";
    /** Files beside it that transformers reads with it, copied along when present. */
    public static final String[] COMPANIONS = {"tokenizer_config.json", "special_tokens_map.json"};

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HuggingFaceTokenizer tokenizer;
    private final String[] pieces;
    private final int size;
    private final int bos;
    private final int eos;
    private final Map<String, byte[]> files;

    private HfTokenizer(HuggingFaceTokenizer tokenizer, String[] pieces, int size, int bos, int eos,
                        Map<String, byte[]> files) {
        this.tokenizer = tokenizer;
        this.pieces = pieces;
        this.size = size;
        this.bos = bos;
        this.eos = eos;
        this.files = files;
    }

    /**
     * Reads {@code tokenizer.json} (and its companions) in {@code folder}, for a model whose embedding has
     * {@code embeddingRows} rows. An embedding larger than the vocabulary (padded, as many checkpoints' are) is
     * accepted: the extra ids are never produced.
     *
     * @param bos the beginning-of-sequence id the model's config.json gives, or −1
     * @param eos the end-of-sequence id, or −1
     * @throws IllegalArgumentException naming the file when it is missing or malformed, or when its vocabulary has
     *                                  ids the embedding lacks
     */
    public static HfTokenizer read(Path folder, int embeddingRows, int bos, int eos) throws IOException {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(folder + " has no " + FILE + "; Bonsai reads Hugging Face tokenizers"
                    + " from that file (save the tokenizer with a fast tokenizer: tokenizer.save_pretrained)");
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        byte[] json = Files.readAllBytes(file);
        files.put(FILE, json);
        for (String companion : COMPANIONS) {
            Path p = folder.resolve(companion);
            if (Files.isRegularFile(p)) {
                files.put(companion, Files.readAllBytes(p));
            }
        }
        String[] pieces = pieces(file, json);
        if (pieces.length > embeddingRows) {
            throw new IllegalArgumentException(file + " has a vocabulary of " + pieces.length + " tokens but the"
                    + " model's embedding has " + embeddingRows + " rows: the tokenizer belongs to another model;"
                    + " use the tokenizer.json the model was trained with");
        }
        for (int id : new int[] {bos, eos}) {
            if (id >= embeddingRows) {
                throw new IllegalArgumentException(folder.resolve(HfConfig.FILE) + " names special token id " + id
                        + ", outside the embedding's " + embeddingRows + " rows");
            }
        }
        return new HfTokenizer(load(file, json), pieces, embeddingRows, bos, eos, Collections.unmodifiableMap(files));
    }

    private static HuggingFaceTokenizer load(Path file, byte[] json) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("addSpecialTokens", "false");
        options.put("truncation", "false");
        options.put("padding", "false");
        try {
            return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), options);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " cannot be loaded by the tokenizers library: " + e.getMessage()
                    + "; it must be a tokenizer.json that transformers' fast tokenizers read", e);
        }
    }

    /** The piece of each id: the model's vocabulary, then added tokens; ids without a piece get an empty one. */
    private static String[] pieces(Path file, byte[] json) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage());
        }
        Map<Integer, String> byId = new java.util.HashMap<>();
        JsonNode vocab = root.path("model").path("vocab");
        if (vocab.isObject()) {
            vocab.properties().forEach(e -> byId.put(e.getValue().asInt(), e.getKey()));
        } else if (vocab.isArray()) {
            for (int i = 0; i < vocab.size(); i++) {
                byId.put(i, vocab.get(i).path(0).asText());
            }
        } else {
            throw new IllegalArgumentException(file + " has no model.vocab: it is not a tokenizer.json of a model"
                    + " type Bonsai reads (BPE, WordPiece, WordLevel, Unigram)");
        }
        for (JsonNode added : root.path("added_tokens")) {
            byId.put(added.path("id").asInt(), added.path("content").asText());
        }
        int size = byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        if (size == 0 || byId.keySet().stream().anyMatch(id -> id < 0)) {
            throw new IllegalArgumentException(file + " has an empty vocabulary or negative ids");
        }
        String[] pieces = new String[size];
        Arrays.fill(pieces, "");
        byId.forEach((id, piece) -> pieces[id] = piece);
        return pieces;
    }

    /** The files this tokenizer was read from, by name, to write beside a model. */
    public Map<String, byte[]> files() {
        return files;
    }

    @Override
    public int vocabularySize() {
        return size;
    }

    @Override
    public int[] encode(String text) {
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        long[] wide = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= size) {
                throw new IllegalArgumentException("token id " + ids[i] + " is outside the vocabulary of " + size);
            }
            wide[i] = ids[i];
        }
        return tokenizer.decode(wide, true);
    }

    @Override
    public String piece(int id) {
        if (id < 0 || id >= size) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + size);
        }
        return id < pieces.length ? pieces[id] : "";
    }

    @Override
    public OptionalInt bos() {
        return bos >= 0 ? OptionalInt.of(bos) : OptionalInt.empty();
    }

    @Override
    public OptionalInt eos() {
        return eos >= 0 ? OptionalInt.of(eos) : OptionalInt.empty();
    }
}
