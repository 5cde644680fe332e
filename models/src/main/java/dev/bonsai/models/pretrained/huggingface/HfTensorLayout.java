package dev.bonsai.models.pretrained.huggingface;

import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.models.pretrained.DecoderConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where each Bonsai parameter of a {@link DecoderConfig} lies in a Hugging Face checkpoint of an architecture: the
 * transformers tensor names ({@code model.layers.0.self_attn.q_proj.weight}, {@code transformer.h.0.attn.c_attn.weight}
 * …) and how each is stored. The LLaMA layout's query and key rows are already in the half-split rotary order Bonsai
 * uses, so no tensor is permuted.
 */
public final class HfTensorLayout {
    private HfTensorLayout() {
    }

    /**
     * The checkpoint tensors of {@code config} in {@code arch}, in the order transformers saves them.
     *
     * @param gpt2Prefix the prefix of GPT-2's transformer tensors ({@code transformer.} as GPT2LMHeadModel saves
     *                   them, or empty, as the original GPT-2 checkpoints name them); ignored for other architectures
     */
    public static List<HfTensor> of(HfArchitecture arch, DecoderConfig config, String gpt2Prefix) {
        Map<String, ParameterSpec> params = config.toSpec("layout", 1).parameters();
        Layout l = new Layout(params);
        if (arch.llamaLayout()) {
            l.rename("model.embed_tokens.weight", "embed.weight");
            for (int i = 0; i < config.layers(); i++) {
                String hf = "model.layers." + i + ".";
                String b = "blocks." + i + ".";
                l.rename(hf + "input_layernorm.weight", b + "attn_norm.weight");
                for (String p : new String[] {"q", "k", "v", "o"}) {
                    l.renameIfPresent(hf + "self_attn." + p + "_proj.weight", b + "attn." + p + ".weight");
                    l.renameIfPresent(hf + "self_attn." + p + "_proj.bias", b + "attn." + p + ".bias");
                }
                l.rename(hf + "post_attention_layernorm.weight", b + "mlp_norm.weight");
                for (String p : new String[] {"gate", "up", "down"}) {
                    l.renameIfPresent(hf + "mlp." + p + "_proj.weight", b + "mlp." + p + ".weight");
                    l.renameIfPresent(hf + "mlp." + p + "_proj.bias", b + "mlp." + p + ".bias");
                }
            }
            l.rename("model.norm.weight", "norm.weight");
        } else {
            String t = gpt2Prefix;
            l.rename(t + "wte.weight", "embed.weight");
            l.rename(t + "wpe.weight", "pos.weight");
            for (int i = 0; i < config.layers(); i++) {
                String hf = t + "h." + i + ".";
                String b = "blocks." + i + ".";
                l.rename(hf + "ln_1.weight", b + "attn_norm.weight");
                l.rename(hf + "ln_1.bias", b + "attn_norm.bias");
                l.stack(hf + "attn.c_attn.weight", true, b + "attn.q.weight", b + "attn.k.weight", b + "attn.v.weight");
                l.stack(hf + "attn.c_attn.bias", false, b + "attn.q.bias", b + "attn.k.bias", b + "attn.v.bias");
                l.stack(hf + "attn.c_proj.weight", true, b + "attn.o.weight");
                l.rename(hf + "attn.c_proj.bias", b + "attn.o.bias");
                l.rename(hf + "ln_2.weight", b + "mlp_norm.weight");
                l.rename(hf + "ln_2.bias", b + "mlp_norm.bias");
                l.stack(hf + "mlp.c_fc.weight", true, b + "mlp.up.weight");
                l.rename(hf + "mlp.c_fc.bias", b + "mlp.up.bias");
                l.stack(hf + "mlp.c_proj.weight", true, b + "mlp.down.weight");
                l.rename(hf + "mlp.c_proj.bias", b + "mlp.down.bias");
            }
            l.rename(t + "ln_f.weight", "norm.weight");
            l.rename(t + "ln_f.bias", "norm.bias");
        }
        if (!config.tiedEmbeddings()) {
            l.rename("lm_head.weight", "head.weight");
        }
        if (l.covered != params.size()) {
            throw new IllegalStateException("the " + arch + " layout covers " + l.covered + " of the "
                    + params.size() + " parameters of " + config);
        }
        return l.tensors;
    }

    /**
     * Whether a checkpoint tensor that no parameter needs may be skipped: buffers older transformers versions saved
     * (rotary inverse frequencies, GPT-2's causal mask), and a tied head saved beside its embedding.
     */
    public static boolean ignorable(String name, DecoderConfig config) {
        return name.endsWith(".rotary_emb.inv_freq") || name.endsWith(".attn.bias") || name.endsWith(".attn.masked_bias")
                || (config.tiedEmbeddings() && name.equals("lm_head.weight"));
    }

    private static final class Layout {
        private final Map<String, ParameterSpec> params;
        private final List<HfTensor> tensors = new ArrayList<>();
        private int covered;

        Layout(Map<String, ParameterSpec> params) {
            this.params = params;
        }

        void rename(String hf, String parameter) {
            tensors.add(HfTensor.renamed(hf, parameter, shape(parameter)));
            covered++;
        }

        void renameIfPresent(String hf, String parameter) {
            if (params.containsKey(parameter)) {
                rename(hf, parameter);
            }
        }

        void stack(String hf, boolean transposed, String... parameters) {
            List<Shape> shapes = new ArrayList<>();
            for (String p : parameters) {
                shapes.add(shape(p));
            }
            tensors.add(HfTensor.stacked(hf, List.of(parameters), shapes, transposed));
            covered += parameters.length;
        }

        private Shape shape(String parameter) {
            ParameterSpec p = params.get(parameter);
            if (p == null) {
                throw new IllegalStateException("the model has no parameter '" + parameter + "'");
            }
            return p.shape();
        }
    }
}
