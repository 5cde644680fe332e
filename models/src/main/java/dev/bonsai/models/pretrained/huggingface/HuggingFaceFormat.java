package dev.bonsai.models.pretrained.huggingface;

import dev.bonsai.api.data.Tokenizer;
import dev.bonsai.api.model.Weights;
import dev.bonsai.models.pretrained.DecoderConfig;
import dev.bonsai.models.pretrained.ModelFormat;
import dev.bonsai.models.pretrained.PretrainedModel;
import dev.bonsai.models.tokenizers.SentencePieceBpe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face model folders ({@code huggingface}): {@code config.json}, safetensors weights (one file or shards with
 * an index) in F32, F16 or BF16, and {@code tokenizer.json}. Reads and writes {@code LlamaForCausalLM},
 * {@code MistralForCausalLM}, {@code Qwen2ForCausalLM} and {@code GPT2LMHeadModel}.
 */
public final class HuggingFaceFormat implements ModelFormat {
    /** The format id. */
    public static final String ID = "huggingface";

    private final HuggingFaceWriter writer;

    /** Writes F32 tensors in shards of at most {@link HuggingFaceWriter#DEFAULT_SHARD_BYTES}. */
    public HuggingFaceFormat() {
        this(SafetensorsDtype.F32, HuggingFaceWriter.DEFAULT_SHARD_BYTES);
    }

    /**
     * Writes {@code dtype} tensors in shards of at most {@code shardBytes}.
     *
     * @param dtype      the written tensors' element type
     * @param shardBytes the most tensor bytes in one shard
     */
    public HuggingFaceFormat(SafetensorsDtype dtype, long shardBytes) {
        this.writer = new HuggingFaceWriter(dtype, shardBytes);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean recognizes(Path path) {
        return Files.isDirectory(path) && Files.isRegularFile(path.resolve(HfConfig.FILE))
                && SafetensorsCheckpoint.present(path);
    }

    @Override
    public PretrainedModel read(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException(path + " is not a folder; a Hugging Face model is a folder with "
                    + HfConfig.FILE + ", " + SafetensorsCheckpoint.SINGLE + " (or " + SafetensorsCheckpoint.INDEX
                    + " and its shards) and " + HfTokenizer.FILE);
        }
        try (HuggingFaceFolder folder = HuggingFaceFolder.open(path)) {
            HfConfig config = folder.config();
            HfTokenizer tokenizer = HfTokenizer.read(path, config.decoder().vocab(), config.bos(), config.eos());
            Weights weights = folder.readAll();
            return new PretrainedModel(config.decoder(), weights, tokenizer, ID);
        }
    }

    @Override
    public void write(PretrainedModel model, Path target) throws IOException {
        DecoderConfig decoder = model.config();
        HfConfig config = new HfConfig(HfConfig.architectureFor(decoder), decoder,
                model.tokenizer().bos().orElse(-1), model.tokenizer().eos().orElse(-1));
        model.weights().checkMatches(decoder.toSpec("model", 1));
        writer.write(config, model.weights()::get, tokenizerFiles(model.tokenizer(), decoder.context()), target);
    }

    /**
     * Converts the Hugging Face folder {@code source} into {@code target} with this format's tensor type and shard
     * size, one checkpoint tensor at a time, so a model larger than the Java heap converts; the tokenizer files are
     * copied as they are.
     *
     * @throws IllegalArgumentException as {@link #read} for a folder it refuses
     */
    public void convert(Path source, Path target) throws IOException {
        try (HuggingFaceFolder folder = HuggingFaceFolder.open(source)) {
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (String name : List.of(HfTokenizer.FILE, HfTokenizer.COMPANIONS[0], HfTokenizer.COMPANIONS[1])) {
                Path file = source.resolve(name);
                if (Files.isRegularFile(file)) {
                    files.put(name, Files.readAllBytes(file));
                }
            }
            writer.write(folder.config(), folder.parameterSource(), files, target);
        }
    }

    /**
     * The tokenizer files: those a Hugging Face tokenizer was read from, or, for a sentencepiece BPE vocabulary
     * (llama2.c, GGUF), the tokenizer.json and tokenizer_config.json of {@code LlamaTokenizerFast}.
     */
    private static Map<String, byte[]> tokenizerFiles(Tokenizer tokenizer, int context) {
        if (tokenizer instanceof HfTokenizer hf) {
            return hf.files();
        }
        if (tokenizer instanceof SentencePieceBpe bpe) {
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put(HfTokenizer.FILE, SentencePieceTokenizerJson.tokenizerJson(bpe.vocabulary()));
            files.put("tokenizer_config.json", SentencePieceTokenizerJson.tokenizerConfig(bpe.vocabulary(), context));
            return files;
        }
        throw new IllegalArgumentException("the model's tokenizer (" + tokenizer.getClass().getSimpleName() + ") is"
                + " neither a Hugging Face tokenizer nor a sentencepiece BPE vocabulary, the two Bonsai writes as"
                + " tokenizer.json; write the model in its own format instead");
    }
}
