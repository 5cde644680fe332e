#!/usr/bin/env python3
"""Independent reference logits for a Hugging Face model folder, with numpy and PyTorch only (no transformers).

Reads config.json and model.safetensors (or the shards that model.safetensors.index.json lists) with its own
safetensors parser (F32, F16, BF16), implements the forward pass of LlamaForCausalLM / MistralForCausalLM /
Qwen2ForCausalLM and of GPT2LMHeadModel as transformers defines them, in float64, and prints the logits of each
token sequence given.

    python3 hf_reference.py FOLDER --tokens 1,5,7,2 [--tokens 3,4 ...]

Output: one JSON object, {"logits": [[[...vocab] per position] per sequence]}.

Llama family: RMSNorm x / sqrt(mean(x^2) + eps) * w; rotary positions in the rotate_half convention
(inv_freq = theta^(-arange(0, d, 2) / d), cos/sin of cat(freqs, freqs)); grouped-query attention (query head h
uses key/value head h // (heads / kv_heads)); q/k/v biases when the architecture has them (Qwen2; Llama's
attention_bias); MLP down(silu(gate(x)) * up(x)); lm_head, or the embedding when tie_word_embeddings.
GPT-2: wte + wpe; LayerNorm; Conv1D layers y = x @ W + b with W stored [in, out]; c_attn split into q, k, v;
gelu_new; the head is wte (tied) unless lm_head.weight is present.
"""
import argparse
import json
import math
import os
import struct
import sys

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")
import numpy as np  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(1)


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        chunk = data[begin:end]
        dtype = entry["dtype"]
        if dtype == "F32":
            values = np.frombuffer(chunk, dtype="<f4").astype(np.float64)
        elif dtype == "F16":
            values = np.frombuffer(chunk, dtype="<f2").astype(np.float64)
        elif dtype == "BF16":
            bits = np.frombuffer(chunk, dtype="<u2").astype(np.uint32) << 16
            values = bits.view(np.float32).astype(np.float64)
        else:
            raise SystemExit("unsupported dtype %s for %s in %s" % (dtype, name, path))
        out[name] = torch.from_numpy(values.reshape(entry["shape"]).copy())
    return out


def read_folder(folder):
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    index = os.path.join(folder, "model.safetensors.index.json")
    tensors = {}
    if os.path.exists(index):
        with open(index) as f:
            shards = sorted(set(json.load(f)["weight_map"].values()))
        for shard in shards:
            tensors.update(read_safetensors(os.path.join(folder, shard)))
    else:
        tensors.update(read_safetensors(os.path.join(folder, "model.safetensors")))
    return config, tensors


def causal_attention(q, k, v):
    """q [H, T, d], k and v [H, T, d] (already repeated to H heads): softmax(q k^T / sqrt(d) + causal mask) v."""
    t = q.shape[1]
    scores = q @ k.transpose(1, 2) / math.sqrt(q.shape[2])
    mask = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
    scores = scores.masked_fill(mask, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def llama_logits(config, w, tokens, arch):
    width = config["hidden_size"]
    heads = config["num_attention_heads"]
    kv_heads = config.get("num_key_value_heads") or heads
    head_dim = config.get("head_dim") or width // heads
    eps = config.get("rms_norm_eps", 1e-6)
    theta = config.get("rope_theta", 10000.0)
    qkv_bias = arch == "Qwen2ForCausalLM" or config.get("attention_bias", False)
    o_bias = arch == "LlamaForCausalLM" and config.get("attention_bias", False)
    t = len(tokens)

    def rms(x, weight):
        return x / torch.sqrt((x * x).mean(dim=-1, keepdim=True) + eps) * weight

    def linear(x, name, bias):
        y = x @ w[name + ".weight"].T
        return y + w[name + ".bias"] if bias else y

    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim))
    freqs = torch.outer(torch.arange(t, dtype=torch.float64), inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos(), emb.sin()

    x = w["model.embed_tokens.weight"][torch.tensor(tokens)]
    for i in range(config["num_hidden_layers"]):
        p = "model.layers.%d." % i
        h = rms(x, w[p + "input_layernorm.weight"])
        q = linear(h, p + "self_attn.q_proj", qkv_bias).reshape(t, heads, head_dim).transpose(0, 1)
        k = linear(h, p + "self_attn.k_proj", qkv_bias).reshape(t, kv_heads, head_dim).transpose(0, 1)
        v = linear(h, p + "self_attn.v_proj", qkv_bias).reshape(t, kv_heads, head_dim).transpose(0, 1)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        group = heads // kv_heads
        k = k.repeat_interleave(group, dim=0)
        v = v.repeat_interleave(group, dim=0)
        a = causal_attention(q, k, v).transpose(0, 1).reshape(t, heads * head_dim)
        x = x + linear(a, p + "self_attn.o_proj", o_bias)
        h = rms(x, w[p + "post_attention_layernorm.weight"])
        mlp_bias = config.get("mlp_bias", False)
        gate = linear(h, p + "mlp.gate_proj", mlp_bias)
        up = linear(h, p + "mlp.up_proj", mlp_bias)
        x = x + linear(torch.nn.functional.silu(gate) * up, p + "mlp.down_proj", mlp_bias)
    x = rms(x, w["model.norm.weight"])
    head = w["model.embed_tokens.weight"] if config.get("tie_word_embeddings", False) else w["lm_head.weight"]
    return x @ head.T


def gpt2_logits(config, w, tokens):
    prefix = "transformer." if "transformer.wte.weight" in w else ""
    width = config["n_embd"]
    heads = config["n_head"]
    head_dim = width // heads
    eps = config.get("layer_norm_epsilon", 1e-5)
    act = config.get("activation_function", "gelu_new")
    t = len(tokens)

    def layer_norm(x, name):
        mean = x.mean(dim=-1, keepdim=True)
        var = ((x - mean) ** 2).mean(dim=-1, keepdim=True)
        return (x - mean) / torch.sqrt(var + eps) * w[name + ".weight"] + w[name + ".bias"]

    def conv1d(x, name):
        return x @ w[name + ".weight"] + w[name + ".bias"]

    def gelu(x):
        if act == "gelu":
            return 0.5 * x * (1 + torch.erf(x / math.sqrt(2)))
        return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))

    x = w[prefix + "wte.weight"][torch.tensor(tokens)] + w[prefix + "wpe.weight"][:t]
    for i in range(config["n_layer"]):
        p = prefix + "h.%d." % i
        h = layer_norm(x, p + "ln_1")
        qkv = conv1d(h, p + "attn.c_attn")
        q, k, v = (part.reshape(t, heads, head_dim).transpose(0, 1) for part in qkv.split(width, dim=-1))
        a = causal_attention(q, k, v).transpose(0, 1).reshape(t, width)
        x = x + conv1d(a, p + "attn.c_proj")
        h = layer_norm(x, p + "ln_2")
        x = x + conv1d(gelu(conv1d(h, p + "mlp.c_fc")), p + "mlp.c_proj")
    x = layer_norm(x, prefix + "ln_f")
    head = w["lm_head.weight"] if "lm_head.weight" in w else w[prefix + "wte.weight"]
    return x @ head.T


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--tokens", action="append", required=True, help="comma-separated token ids")
    args = parser.parse_args()
    config, w = read_folder(args.folder)
    arch = (config.get("architectures") or [""])[0]
    out = []
    with torch.no_grad():
        for seq in args.tokens:
            tokens = [int(s) for s in seq.split(",")]
            if arch in ("LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM"):
                logits = llama_logits(config, w, tokens, arch)
            elif arch == "GPT2LMHeadModel":
                logits = gpt2_logits(config, w, tokens)
            else:
                raise SystemExit("architecture %r is not implemented here" % arch)
            out.append(logits.tolist())
    json.dump({"logits": out}, sys.stdout)


if __name__ == "__main__":
    main()
