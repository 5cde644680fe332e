package dev.bonsai.models.pretrained.huggingface;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The transformers model classes a Hugging Face folder may hold, by the name its config.json gives in
 * {@code architectures} and {@code model_type}. LLaMA, Mistral and Qwen2 share one tensor layout; GPT-2 has its own.
 */
public enum HfArchitecture {
    /** LLaMA 1/2/3 and models that reuse its class (TinyLlama, …). */
    LLAMA("LlamaForCausalLM", "llama"),
    /** Mistral: LLaMA's tensors, with a sliding attention window. */
    MISTRAL("MistralForCausalLM", "mistral"),
    /** Qwen2: LLaMA's tensors with biases on the query, key and value projections. */
    QWEN2("Qwen2ForCausalLM", "qwen2"),
    /** GPT-2: Conv1D weights stored [in, out], a fused query/key/value projection, learned positions, LayerNorm. */
    GPT2("GPT2LMHeadModel", "gpt2");

    private final String className;
    private final String modelType;

    HfArchitecture(String className, String modelType) {
        this.className = className;
        this.modelType = modelType;
    }

    /** The transformers class name, as in {@code architectures}. */
    public String className() {
        return className;
    }

    /** The {@code model_type}; also the {@code family} of the {@code DecoderConfig} it reads into. */
    public String modelType() {
        return modelType;
    }

    /** Whether this is one of the LLaMA-layout architectures. */
    public boolean llamaLayout() {
        return this != GPT2;
    }

    /** The architecture of a class name or, failing that, a model type; empty when neither is known. */
    static java.util.Optional<HfArchitecture> find(String className, String modelType) {
        for (HfArchitecture a : values()) {
            if (a.className.equals(className)) {
                return java.util.Optional.of(a);
            }
        }
        if (className == null) {
            for (HfArchitecture a : values()) {
                if (a.modelType.equals(modelType == null ? null : modelType.toLowerCase(Locale.ROOT))) {
                    return java.util.Optional.of(a);
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** The class names Bonsai reads, for messages. */
    static String supported() {
        return Arrays.stream(values()).map(HfArchitecture::className).collect(Collectors.joining(", "));
    }
}
