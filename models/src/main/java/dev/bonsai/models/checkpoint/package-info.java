/**
 * Checkpoint files: a trained model's spec, weights, vocabulary and provenance in one safetensors file that any
 * engine (and any safetensors reader) can load. See {@link dev.bonsai.models.checkpoint.CheckpointFile} for the
 * format.
 */
package dev.bonsai.models.checkpoint;
