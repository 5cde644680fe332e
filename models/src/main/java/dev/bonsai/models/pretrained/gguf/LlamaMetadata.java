package dev.bonsai.models.pretrained.gguf;

import dev.bonsai.api.model.Activation;
import dev.bonsai.models.pretrained.DecoderConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code llama} architecture's GGUF metadata and the {@link DecoderConfig} it describes (LLaMA, Mistral and the
 * other models llama.cpp stores as {@code llama}: RMSNorm, SwiGLU, rotary positions, no biases).
 */
final class LlamaMetadata {
    /** The architecture this class reads and writes. */
    static final String ARCHITECTURE = "llama";
    /** The key that names the architecture. */
    static final String ARCHITECTURE_KEY = "general.architecture";
    /** The rotary base when the file does not state one (llama.cpp's default). */
    static final double DEFAULT_ROPE_THETA = 10000.0;

    private static final String P = ARCHITECTURE + ".";

    private LlamaMetadata() {
    }

    /** Refuses a file of another architecture, naming it. */
    static void checkArchitecture(GgufMetadata metadata) {
        String architecture = metadata.string(ARCHITECTURE_KEY);
        if (!ARCHITECTURE.equals(architecture)) {
            throw metadata.error("it holds a model of architecture '" + architecture + "'; this reader takes '"
                    + ARCHITECTURE + "' (LLaMA, Mistral and models converted as LLaMA). Load the model from its"
                    + " Hugging Face folder instead, or convert it to a llama-architecture GGUF.");
        }
    }

    /**
     * The configuration the metadata state.
     *
     * @param vocab the vocabulary size (rows of {@code token_embd})
     * @param tied  whether the file has no {@code output.weight}, so the output head is the token embedding
     */
    static DecoderConfig config(GgufMetadata m, int vocab, boolean tied) {
        checkArchitecture(m);
        int width = m.positiveInt(P + "embedding_length");
        int layers = m.positiveInt(P + "block_count");
        int hidden = m.positiveInt(P + "feed_forward_length");
        int heads = m.positiveInt(P + "attention.head_count");
        int kvHeads = m.contains(P + "attention.head_count_kv") ? m.positiveInt(P + "attention.head_count_kv")
                : heads;
        int context = m.positiveInt(P + "context_length");
        double epsilon = m.real(P + "attention.layer_norm_rms_epsilon");
        double theta = m.optionalReal(P + "rope.freq_base").orElse(DEFAULT_ROPE_THETA);
        long statedVocab = m.optionalInteger(P + "vocab_size").orElse(vocab);
        if (statedVocab != vocab) {
            throw m.error(P + "vocab_size is " + statedVocab + " but token_embd.weight has " + vocab + " rows: the"
                    + " file is inconsistent");
        }
        if (m.optionalInteger(P + "expert_count").orElse(0) > 0) {
            throw m.error("it holds a mixture-of-experts model (" + P + "expert_count = "
                    + m.optionalInteger(P + "expert_count").getAsLong() + "), which Bonsai's decoder blocks do not"
                    + " express");
        }
        String scaling = m.string(P + "rope.scaling.type", "none");
        if (!"none".equals(scaling)) {
            throw m.error("it uses rotary scaling '" + scaling + "' (" + P + "rope.scaling.type), which Bonsai's"
                    + " attention does not apply; only unscaled rotary positions are supported");
        }
        if (kvHeads > heads || heads % kvHeads != 0) {
            throw m.error(heads + " attention heads are not a multiple of " + kvHeads + " key/value heads");
        }
        int headDim;
        if (m.contains(P + "attention.key_length")) {
            headDim = m.positiveInt(P + "attention.key_length");
            int valueLength = m.contains(P + "attention.value_length") ? m.positiveInt(P + "attention.value_length")
                    : headDim;
            if (valueLength != headDim) {
                throw m.error("keys of width " + headDim + " and values of width " + valueLength + " differ;"
                        + " Bonsai's attention has one head width");
            }
        } else {
            if (width % heads != 0) {
                throw m.error("the width " + width + " is not a multiple of the " + heads + " attention heads and"
                        + " no " + P + "attention.key_length gives the head width");
            }
            headDim = width / heads;
        }
        long rotary = m.optionalInteger(P + "rope.dimension_count").orElse(headDim);
        if (rotary != headDim) {
            throw m.error(P + "rope.dimension_count is " + rotary + " but heads are " + headDim + " wide; Bonsai"
                    + " rotates whole heads (partial rotary embeddings are not supported)");
        }
        if (headDim % 2 != 0) {
            throw m.error("heads are " + headDim + " wide; rotary positions need an even width");
        }
        if (!(epsilon > 0) || !(theta > 0)) {
            throw m.error("the RMSNorm epsilon (" + epsilon + ") and the rotary base (" + theta + ") must be"
                    + " positive");
        }
        return new DecoderConfig(ARCHITECTURE, vocab, width, layers, heads, kvHeads, headDim, hidden, context,
                epsilon, true, theta, true, Activation.SILU, false, false, false, tied, false);
    }

    /**
     * Refuses a configuration the {@code llama} architecture cannot hold, saying why.
     *
     * @throws IllegalArgumentException naming the first feature that does not fit
     */
    static void checkWritable(DecoderConfig c) {
        String problem = null;
        if (!c.rmsNorm()) {
            problem = "LayerNorm instead of RMSNorm";
        } else if (!c.gated() || c.activation() != Activation.SILU) {
            problem = "an MLP other than gated SiLU (SwiGLU)";
        } else if (c.qkvBias() || c.outputBias() || c.mlpBias()) {
            problem = "biases on attention or MLP projections";
        } else if (c.learnedPositions() || !(c.ropeTheta() > 0)) {
            problem = "learned positions instead of rotary ones";
        }
        if (problem != null) {
            throw new IllegalArgumentException("a " + c.family() + " model with " + problem + " cannot be written as"
                    + " a GGUF of architecture '" + ARCHITECTURE + "'");
        }
    }

    /** The metadata entries for {@code c}, in the order llama.cpp writes them. */
    static Map<String, GgufValue> entries(DecoderConfig c) {
        checkWritable(c);
        Map<String, GgufValue> out = new LinkedHashMap<>();
        out.put(P + "context_length", GgufValue.of(GgufValueType.UINT32, (long) c.context()));
        out.put(P + "embedding_length", GgufValue.of(GgufValueType.UINT32, (long) c.width()));
        out.put(P + "block_count", GgufValue.of(GgufValueType.UINT32, (long) c.layers()));
        out.put(P + "feed_forward_length", GgufValue.of(GgufValueType.UINT32, (long) c.hidden()));
        out.put(P + "rope.dimension_count", GgufValue.of(GgufValueType.UINT32, (long) c.headDim()));
        out.put(P + "attention.head_count", GgufValue.of(GgufValueType.UINT32, (long) c.heads()));
        out.put(P + "attention.head_count_kv", GgufValue.of(GgufValueType.UINT32, (long) c.kvHeads()));
        if (c.headDim() * c.heads() != c.width()) {
            out.put(P + "attention.key_length", GgufValue.of(GgufValueType.UINT32, (long) c.headDim()));
            out.put(P + "attention.value_length", GgufValue.of(GgufValueType.UINT32, (long) c.headDim()));
        }
        out.put(P + "attention.layer_norm_rms_epsilon", GgufValue.of(GgufValueType.FLOAT32,
                (float) c.normEpsilon()));
        out.put(P + "rope.freq_base", GgufValue.of(GgufValueType.FLOAT32, (float) c.ropeTheta()));
        return out;
    }
}
