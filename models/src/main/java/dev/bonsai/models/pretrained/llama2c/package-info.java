/**
 * llama2.c checkpoints ({@link dev.bonsai.models.pretrained.llama2c.Llama2cFormat}): the legacy and version-1
 * float32 layouts and the {@code tok*.bin} tokenizer file beside them.
 */
package dev.bonsai.models.pretrained.llama2c;
