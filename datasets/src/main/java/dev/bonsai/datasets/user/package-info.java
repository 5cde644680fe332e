/**
 * Providers for a user's own data: {@link dev.bonsai.datasets.user.IdxFilesProvider} ({@code idx}),
 * {@link dev.bonsai.datasets.user.CsvProvider} ({@code csv}); text files are read by
 * {@link dev.bonsai.datasets.text.TextFileProvider} ({@code text}). User files have no expected checksum: each is
 * hashed and its SHA-256 recorded with the dataset.
 */
package dev.bonsai.datasets.user;
