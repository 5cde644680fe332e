/**
 * Hugging Face model folders: {@code config.json}, safetensors weights read and written tensor by tensor through
 * memory-mapped files (sharded or not), and {@code tokenizer.json} through the Rust tokenizers library.
 */
package dev.bonsai.models.pretrained.huggingface;
