/**
 * Text datasets for language modelling: {@link dev.bonsai.datasets.text.TinyShakespeareProvider}
 * ({@code tinyshakespeare}), {@link dev.bonsai.datasets.text.WikiText2Provider} ({@code wikitext-2}) and
 * {@link dev.bonsai.datasets.text.TextFileProvider} ({@code text}); {@link dev.bonsai.datasets.text.TextCorpus}
 * decodes, tokenises and cuts text into windows of token ids labelled with the next token.
 */
package dev.bonsai.datasets.text;
