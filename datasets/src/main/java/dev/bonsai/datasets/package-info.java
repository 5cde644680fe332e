/**
 * Bonsai's dataset providers and the host-side helpers around them.
 *
 * <ul>
 *   <li>{@link dev.bonsai.datasets.files} — finding, downloading and verifying dataset files</li>
 *   <li>{@link dev.bonsai.datasets.idx} — the IDX format and a base for IDX image datasets</li>
 *   <li>{@link dev.bonsai.datasets.mnist} — the {@code mnist} provider</li>
 *   <li>{@link dev.bonsai.datasets.fashion} — the {@code fashion-mnist} provider</li>
 *   <li>{@link dev.bonsai.datasets.cifar} — the {@code cifar-10} provider</li>
 *   <li>{@link dev.bonsai.datasets.text} — {@code tinyshakespeare}, {@code wikitext-2} and {@code text}</li>
 *   <li>{@link dev.bonsai.datasets.user} — {@code idx} and {@code csv}, for a user's own files</li>
 *   <li>{@link dev.bonsai.datasets.KnownFiles} — the files each dataset can use, for listings</li>
 *   <li>{@link dev.bonsai.datasets.Splits} — the seeded validation hold-out</li>
 * </ul>
 */
package dev.bonsai.datasets;
