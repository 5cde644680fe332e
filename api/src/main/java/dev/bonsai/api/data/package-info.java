/**
 * Datasets: providers that find, verify and decode files; in-memory {@link dev.bonsai.api.data.Split splits};
 * the seeded {@link dev.bonsai.api.data.BatchSampler} that gives every engine the same batches; and seeded
 * training-time {@link dev.bonsai.api.data.Augmentation augmentation} ({@link dev.bonsai.api.data.ImageJitter}),
 * applied on the host to each training batch so that engines still see the same batches.
 *
 * <p>A provider declares its {@link dev.bonsai.api.data.DataFile files} with their SHA-256; the host's
 * {@link dev.bonsai.api.data.DataFiles} resolves each one (descriptor path, {@code --data-dir},
 * {@code BONSAI_DATA_DIR}, the user cache, then a verified download) before the provider decodes it.
 */
package dev.bonsai.api.data;
