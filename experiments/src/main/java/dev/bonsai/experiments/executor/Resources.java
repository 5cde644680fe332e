package dev.bonsai.experiments.executor;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;
import java.util.List;
import java.util.Optional;

/**
 * What one trial needs where it runs: the descriptor's {@code resources:} section. Executors translate it: Slurm
 * into {@code --cpus-per-task}, {@code --gres=gpu:N}, {@code --constraint}, {@code --mem} and {@code --time};
 * Spark into task resource requests ({@code gpu} and one custom resource per hardware tag).
 *
 * @param cpu      cores per trial
 * @param gpu      GPUs per trial; a trial whose engine device is {@code cuda} asks for at least one
 * @param hardware tags a machine must have, such as {@code a100}
 * @param memory   memory per trial, such as {@code 8G}, where the executor reserves memory
 * @param time     the longest a trial may run, such as {@code 2:00:00}, where the executor enforces limits
 */
public record Resources(
        @Doc("Cores per trial.") @DefaultValue("1") @Range(min = 1) int cpu,
        @Doc("GPUs per trial (a trial on device cuda asks for at least one); the assigned GPU becomes the engine's "
                + "device.") @DefaultValue("0") @Range(min = 0) int gpu,
        @Doc("Hardware tags a machine must have, e.g. [a100]: Slurm features (--constraint), Spark custom "
                + "resources of that name.") @DefaultValue("[]") List<String> hardware,
        @Doc("Memory per trial where the executor reserves it, e.g. 8G (Slurm --mem).") Optional<String> memory,
        @Doc("Time limit per trial where the executor enforces one, e.g. 2:00:00 (Slurm --time).")
        Optional<String> time) {

    /** One core, nothing else. */
    public static final Resources DEFAULT = new Resources(1, 0, List.of(), Optional.empty(), Optional.empty());

    /** Checks the tags. */
    public Resources {
        hardware = List.copyOf(hardware);
        for (String tag : hardware) {
            if (!tag.matches("[A-Za-z][A-Za-z0-9_.-]*")) {
                throw new IllegalArgumentException("hardware tag '" + tag + "' must start with a letter and hold only "
                        + "letters, digits, '_', '.' or '-'");
            }
        }
    }

    /** These resources with at least {@code n} GPUs. */
    public Resources withAtLeastGpus(int n) {
        return gpu >= n ? this : new Resources(cpu, n, hardware, memory, time);
    }

    /** A short label for logs and messages, e.g. {@code cpu=1, gpu=1, hardware=[a100]}. */
    public String label() {
        StringBuilder b = new StringBuilder("cpu=" + cpu + ", gpu=" + gpu);
        if (!hardware.isEmpty()) {
            b.append(", hardware=").append(hardware);
        }
        memory.ifPresent(m -> b.append(", memory=").append(m));
        time.ifPresent(t -> b.append(", time=").append(t));
        return b.toString();
    }
}
