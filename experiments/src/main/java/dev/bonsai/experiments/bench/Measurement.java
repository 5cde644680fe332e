package dev.bonsai.experiments.bench;

/**
 * One benchmark figure.
 *
 * @param engine  the engine id (or the peer's name)
 * @param device  the device
 * @param model   the model id
 * @param batch   the batch size
 * @param threads the threads used for one operator
 * @param metric  what was measured, for example {@code train_samples_per_s}
 * @param value   the value
 * @param machine the CPU model and core count
 */
public record Measurement(String engine, String device, String model, int batch, int threads, String metric,
        double value, String machine) {
}
