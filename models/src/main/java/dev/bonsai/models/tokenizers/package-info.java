/** Tokenizers of pretrained language models and the vocabularies they are built from. */
package dev.bonsai.models.tokenizers;
