package dev.bonsai.models.pretrained.gguf;

import dev.bonsai.api.model.Shape;
import dev.bonsai.models.pretrained.DecoderConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * One tensor of a {@code llama} GGUF and the Bonsai parameter it holds, for example {@code blk.0.attn_q.weight} and
 * {@code blocks.0.attn.q.weight}.
 *
 * @param gguf         the name in the file
 * @param bonsai       the parameter name ({@link DecoderConfig}'s layer names)
 * @param shape        the row-major shape both agree on
 * @param rotaryHeadDim for the query and key projections, whose rows the file stores in the interleaved rotary
 *                      order, the head width; 0 for other tensors
 */
record LlamaTensor(String gguf, String bonsai, Shape shape, int rotaryHeadDim) {

    /** Whether the rows are reordered between the rotary conventions. */
    boolean rotary() {
        return rotaryHeadDim > 0;
    }

    /** Whether a matrix (rather than a norm's vector), which a writer may store in half precision. */
    boolean matrix() {
        return shape.rank() == 2;
    }

    /** Every tensor of a model of configuration {@code c}, in llama.cpp's order. */
    static List<LlamaTensor> all(DecoderConfig c) {
        int d = c.width();
        int q = c.heads() * c.headDim();
        int kv = c.kvHeads() * c.headDim();
        List<LlamaTensor> out = new ArrayList<>();
        out.add(plain("token_embd.weight", "embed.weight", Shape.of(c.vocab(), d)));
        for (int i = 0; i < c.layers(); i++) {
            String g = "blk." + i + ".";
            String b = "blocks." + i + ".";
            out.add(plain(g + "attn_norm.weight", b + "attn_norm.weight", Shape.of(d)));
            out.add(new LlamaTensor(g + "attn_q.weight", b + "attn.q.weight", Shape.of(q, d), c.headDim()));
            out.add(new LlamaTensor(g + "attn_k.weight", b + "attn.k.weight", Shape.of(kv, d), c.headDim()));
            out.add(plain(g + "attn_v.weight", b + "attn.v.weight", Shape.of(kv, d)));
            out.add(plain(g + "attn_output.weight", b + "attn.o.weight", Shape.of(d, q)));
            out.add(plain(g + "ffn_norm.weight", b + "mlp_norm.weight", Shape.of(d)));
            out.add(plain(g + "ffn_gate.weight", b + "mlp.gate.weight", Shape.of(c.hidden(), d)));
            out.add(plain(g + "ffn_up.weight", b + "mlp.up.weight", Shape.of(c.hidden(), d)));
            out.add(plain(g + "ffn_down.weight", b + "mlp.down.weight", Shape.of(d, c.hidden())));
        }
        out.add(plain("output_norm.weight", "norm.weight", Shape.of(d)));
        if (!c.tiedEmbeddings()) {
            out.add(plain("output.weight", "head.weight", Shape.of(c.vocab(), d)));
        }
        return out;
    }

    private static LlamaTensor plain(String gguf, String bonsai, Shape shape) {
        return new LlamaTensor(gguf, bonsai, shape, 0);
    }
}
