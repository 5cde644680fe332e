package dev.bonsai.models.pretrained.huggingface;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bonsai.api.model.Activation;
import dev.bonsai.models.pretrained.DecoderConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A Hugging Face {@code config.json} as Bonsai reads and writes it: the architecture, the hyper-parameters as a
 * {@link DecoderConfig}, and the special token ids.
 *
 * @param architecture the transformers class
 * @param decoder      the hyper-parameters
 * @param bos          the beginning-of-sequence id, or −1
 * @param eos          the end-of-sequence id, or −1
 */
public record HfConfig(HfArchitecture architecture, DecoderConfig decoder, int bos, int eos) {
    /** The file name. */
    public static final String FILE = "config.json";

    private static final Logger LOG = LogManager.getLogger(HfConfig.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads {@code config.json} in {@code folder}.
     *
     * @throws IllegalArgumentException naming the file when it is missing, is not JSON, names an architecture
     *                                  Bonsai does not read, lacks a size, or asks for a feature Bonsai does not
     *                                  implement (rotary scaling, a sliding window shorter than the context of a
     *                                  model that uses it on some layers only, an activation other than the
     *                                  architecture's)
     */
    public static HfConfig read(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(folder + " has no " + FILE + ": it is not a Hugging Face model folder");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + " is not a JSON object");
        }
        String className = root.path("architectures").path(0).asText(null);
        String modelType = root.path("model_type").asText(null);
        HfArchitecture arch = HfArchitecture.find(className, modelType).orElseThrow(() -> new IllegalArgumentException(
                file + " describes a " + (className != null ? className : "model of type " + modelType)
                        + ", which Bonsai does not read; it reads " + HfArchitecture.supported()));
        Fields f = new Fields(file, root);
        DecoderConfig decoder = arch == HfArchitecture.GPT2 ? gpt2(f) : llama(f, arch);
        return new HfConfig(arch, decoder, f.tokenId("bos_token_id"), f.tokenId("eos_token_id"));
    }

    private static DecoderConfig llama(Fields f, HfArchitecture arch) {
        String act = f.text("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw f.unsupported("hidden_act '" + act + "'", "a gated MLP with silu");
        }
        JsonNode scaling = f.root.path("rope_scaling");
        if (!scaling.isMissingNode() && !scaling.isNull()) {
            String type = scaling.path("rope_type").asText(scaling.path("type").asText(""));
            if (!type.equals("default")) {
                throw f.unsupported("rope_scaling " + scaling, "unscaled rotary positions (rope_scaling null)");
            }
        }
        int width = f.positive("hidden_size");
        int heads = f.positive("num_attention_heads");
        int kvHeads = f.positive("num_key_value_heads", heads);
        int headDim = f.root.path("head_dim").canConvertToInt() ? f.positive("head_dim") : width / heads;
        int context = f.positive("max_position_embeddings");
        boolean qkvBias;
        boolean outputBias;
        boolean mlpBias;
        if (arch == HfArchitecture.QWEN2) {
            qkvBias = true;
            outputBias = false;
            mlpBias = false;
            if (f.root.path("use_sliding_window").asBoolean(false)) {
                context = windowed(f, context);
            }
        } else if (arch == HfArchitecture.MISTRAL) {
            qkvBias = false;
            outputBias = false;
            mlpBias = false;
            context = windowed(f, context);
        } else {
            qkvBias = f.root.path("attention_bias").asBoolean(false);
            outputBias = qkvBias;
            mlpBias = f.root.path("mlp_bias").asBoolean(false);
        }
        return new DecoderConfig(arch.modelType(), f.positive("vocab_size"), width, f.positive("num_hidden_layers"),
                heads, kvHeads, headDim, f.positive("intermediate_size"), context, f.number("rms_norm_eps", 1e-6),
                true, f.number("rope_theta", 10000.0), true, Activation.SILU, qkvBias, outputBias, mlpBias,
                f.root.path("tie_word_embeddings").asBoolean(false), false);
    }

    /**
     * The context of a model with a sliding attention window: up to the window's length, sliding-window attention
     * is ordinary causal attention, so the model is read with its context cut to the window.
     */
    private static int windowed(Fields f, int context) {
        JsonNode window = f.root.path("sliding_window");
        if (window.canConvertToInt() && window.asInt() > 0 && window.asInt() < context) {
            LOG.info("{}: sliding_window {} is shorter than max_position_embeddings {}; the model is read with a"
                    + " context of {} tokens, within which its attention is exact", f.file, window.asInt(), context,
                    window.asInt());
            return window.asInt();
        }
        return context;
    }

    private static DecoderConfig gpt2(Fields f) {
        String act = f.text("activation_function", "gelu_new");
        Activation activation = switch (act) {
            case "gelu_new", "gelu_pytorch_tanh" -> Activation.GELU_TANH;
            case "gelu" -> Activation.GELU;
            default -> throw f.unsupported("activation_function '" + act + "'", "gelu_new or gelu");
        };
        if (!f.root.path("scale_attn_weights").asBoolean(true)
                || f.root.path("scale_attn_by_inverse_layer_idx").asBoolean(false)) {
            throw f.unsupported("attention scaling other than 1/√head width",
                    "scale_attn_weights true and scale_attn_by_inverse_layer_idx false");
        }
        int width = f.positive("n_embd");
        int heads = f.positive("n_head");
        if (width % heads != 0) {
            throw new IllegalArgumentException(f.file + ": n_embd " + width + " is not a multiple of n_head " + heads);
        }
        int hidden = f.root.path("n_inner").canConvertToInt() ? f.positive("n_inner") : 4 * width;
        return new DecoderConfig(HfArchitecture.GPT2.modelType(), f.positive("vocab_size"), width,
                f.positive("n_layer"), heads, heads, width / heads, hidden, f.positive("n_positions"),
                f.number("layer_norm_epsilon", 1e-5), false, 0, false, activation, true, true, true,
                f.root.path("tie_word_embeddings").asBoolean(true), true);
    }

    /**
     * The architecture that holds {@code config}: GPT-2 for its pattern (LayerNorm, learned positions, plain MLP,
     * biases everywhere), else the LLaMA layout — Qwen2 when only the query, key and value projections have biases,
     * Mistral when the family says so and there are no biases, LLaMA otherwise.
     *
     * @throws IllegalArgumentException saying what the Hugging Face classes cannot hold
     */
    public static HfArchitecture architectureFor(DecoderConfig c) {
        if (!c.rmsNorm() || c.learnedPositions()) {
            if (c.rmsNorm() || !c.learnedPositions() || c.gated() || c.ropeTheta() != 0 || !c.qkvBias()
                    || !c.outputBias() || !c.mlpBias() || c.heads() != c.kvHeads()
                    || c.heads() * c.headDim() != c.width()
                    || !(c.activation() == Activation.GELU_TANH || c.activation() == Activation.GELU)) {
                throw new IllegalArgumentException("a model with " + (c.rmsNorm() ? "RMSNorm" : "LayerNorm") + " and "
                        + (c.learnedPositions() ? "learned" : "rotary") + " positions is written as GPT-2, which needs"
                        + " LayerNorm, learned positions, a plain gelu MLP, biases on every projection, as many key/value"
                        + " heads as query heads and heads × head width = width; this model has " + c);
            }
            return HfArchitecture.GPT2;
        }
        if (!c.gated() || c.activation() != Activation.SILU || c.ropeTheta() <= 0) {
            throw new IllegalArgumentException("the LLaMA layout needs a gated silu MLP and rotary positions; this"
                    + " model has " + c);
        }
        if (c.qkvBias() && !c.outputBias() && !c.mlpBias()) {
            return HfArchitecture.QWEN2;
        }
        if (c.qkvBias() != c.outputBias()) {
            throw new IllegalArgumentException("no Hugging Face LLaMA-layout class has a bias on the attention output"
                    + " without biases on query, key and value; this model has " + c);
        }
        if (c.family().equals(HfArchitecture.MISTRAL.modelType()) && !c.qkvBias() && !c.mlpBias()) {
            return HfArchitecture.MISTRAL;
        }
        return HfArchitecture.LLAMA;
    }

    /** The config.json of this configuration, with {@code dtype} as its {@code torch_dtype}. */
    public ObjectNode toJson(SafetensorsDtype dtype) {
        DecoderConfig c = decoder;
        ObjectNode root = JSON.createObjectNode();
        root.putArray("architectures").add(architecture.className());
        root.put("model_type", architecture.modelType());
        root.put("vocab_size", c.vocab());
        if (architecture == HfArchitecture.GPT2) {
            root.put("n_embd", c.width());
            root.put("n_layer", c.layers());
            root.put("n_head", c.heads());
            root.put("n_inner", c.hidden());
            root.put("n_positions", c.context());
            root.put("n_ctx", c.context());
            root.put("layer_norm_epsilon", c.normEpsilon());
            root.put("activation_function", c.activation() == Activation.GELU ? "gelu" : "gelu_new");
        } else {
            root.put("hidden_size", c.width());
            root.put("intermediate_size", c.hidden());
            root.put("num_hidden_layers", c.layers());
            root.put("num_attention_heads", c.heads());
            root.put("num_key_value_heads", c.kvHeads());
            root.put("head_dim", c.headDim());
            root.put("max_position_embeddings", c.context());
            root.put("rms_norm_eps", c.normEpsilon());
            root.put("rope_theta", c.ropeTheta());
            root.putNull("rope_scaling");
            root.put("hidden_act", "silu");
            switch (architecture) {
                case LLAMA -> {
                    root.put("attention_bias", c.qkvBias());
                    root.put("mlp_bias", c.mlpBias());
                }
                case MISTRAL -> root.putNull("sliding_window");
                case QWEN2 -> {
                    root.put("use_sliding_window", false);
                    root.put("sliding_window", c.context());
                    root.put("max_window_layers", c.layers());
                }
                default -> throw new IllegalStateException("not a LLaMA-layout architecture: " + architecture);
            }
        }
        root.put("tie_word_embeddings", c.tiedEmbeddings());
        if (bos >= 0) {
            root.put("bos_token_id", bos);
        }
        if (eos >= 0) {
            root.put("eos_token_id", eos);
        }
        root.put("torch_dtype", dtype.torchName());
        return root;
    }

    /** Reads typed fields of one config.json, naming the file and field in errors. */
    private static final class Fields {
        private final Path file;
        private final JsonNode root;

        Fields(Path file, JsonNode root) {
            this.file = file;
            this.root = root;
        }

        int positive(String field) {
            JsonNode n = root.path(field);
            if (!n.canConvertToInt() || n.asInt() <= 0) {
                throw new IllegalArgumentException(file + ": field '" + field + "' must be a positive integer, got "
                        + (n.isMissingNode() ? "nothing" : n.toString()));
            }
            return n.asInt();
        }

        int positive(String field, int fallback) {
            JsonNode n = root.path(field);
            return n.isMissingNode() || n.isNull() ? fallback : positive(field);
        }

        double number(String field, double fallback) {
            JsonNode n = root.path(field);
            if (n.isMissingNode() || n.isNull()) {
                return fallback;
            }
            if (!n.isNumber()) {
                throw new IllegalArgumentException(file + ": field '" + field + "' must be a number, got " + n);
            }
            return n.asDouble();
        }

        String text(String field, String fallback) {
            JsonNode n = root.path(field);
            return n.isMissingNode() || n.isNull() ? fallback : n.asText();
        }

        int tokenId(String field) {
            JsonNode n = root.path(field);
            if (n.isArray()) {
                n = n.path(0);
            }
            return n.canConvertToInt() ? n.asInt() : -1;
        }

        IllegalArgumentException unsupported(String what, String supported) {
            return new IllegalArgumentException(file + " asks for " + what + ", which Bonsai does not implement; it"
                    + " reads models with " + supported);
        }
    }
}
