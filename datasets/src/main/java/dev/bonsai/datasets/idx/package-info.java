/**
 * The IDX file format of MNIST-like datasets: {@link dev.bonsai.datasets.idx.IdxReader} decodes plain or
 * gzip-compressed files with full checks, and {@link dev.bonsai.datasets.idx.IdxImageDatasetProvider} turns four
 * such files into a dataset.
 */
package dev.bonsai.datasets.idx;
