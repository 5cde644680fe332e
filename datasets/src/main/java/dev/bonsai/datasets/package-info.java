/**
 * Bonsai's dataset providers and the host-side helpers around them.
 *
 * <ul>
 *   <li>{@link dev.bonsai.datasets.files} — finding, downloading and verifying dataset files</li>
 *   <li>{@link dev.bonsai.datasets.idx} — the IDX format and a base for IDX image datasets</li>
 *   <li>{@link dev.bonsai.datasets.mnist} — the {@code mnist} provider</li>
 *   <li>{@link dev.bonsai.datasets.Splits} — the seeded validation hold-out</li>
 * </ul>
 */
package dev.bonsai.datasets;
