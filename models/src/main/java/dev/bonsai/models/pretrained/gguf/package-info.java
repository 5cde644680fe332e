/**
 * GGUF, the single-file model format of llama.cpp and ggml: {@link dev.bonsai.models.pretrained.gguf.GgufFormat}
 * reads LLaMA-architecture files (versions 2 and 3; F32, F16, BF16 and Q8_0 tensors) into a
 * {@link dev.bonsai.models.pretrained.PretrainedModel} and writes version 3 files (F32 or F16) from one.
 */
package dev.bonsai.models.pretrained.gguf;
