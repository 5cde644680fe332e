/**
 * Pretrained decoder-only language models: their configuration ({@link dev.bonsai.models.pretrained.DecoderConfig}),
 * the checkpoint formats that hold them ({@link dev.bonsai.models.pretrained.ModelFormat}) and their tokenizers.
 */
package dev.bonsai.models.pretrained;
