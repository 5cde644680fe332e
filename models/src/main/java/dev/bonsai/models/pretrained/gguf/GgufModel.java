package dev.bonsai.models.pretrained.gguf;

import dev.bonsai.api.model.Weights;
import dev.bonsai.models.pretrained.DecoderConfig;
import dev.bonsai.models.tokenizers.ScoredVocabulary;

/**
 * What a {@code llama} GGUF holds, before a tokenizer is built from its vocabulary.
 *
 * @param name       the model's name ({@code general.name}, else the file's name)
 * @param config     the hyper-parameters
 * @param weights    the parameters under Bonsai's names, query and key rows in the half-split rotary order
 * @param vocabulary the sentencepiece vocabulary
 */
record GgufModel(String name, DecoderConfig config, Weights weights, ScoredVocabulary vocabulary) {
}
