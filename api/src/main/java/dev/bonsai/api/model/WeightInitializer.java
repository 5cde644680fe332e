package dev.bonsai.api.model;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Bonsai's seeded initial weights: the same model and seed give bit-identical weights on
 * every engine, because they are made here, in Java, and loaded into the engine.
 *
 * <p>Each parameter draws from its own stream, derived from the seed and the parameter's name, so adding a layer
 * does not change the others. Weights and biases follow PyTorch's defaults for {@code Linear} and {@code Conv2d}
 * (uniform in ±1/√fan_in); normalisation scales are 1 and shifts 0; embeddings are normal with σ = 0.02 (as in
 * GPT-2); running means are 0 and running variances 1.
 */
public final class WeightInitializer {

    private WeightInitializer() {
    }

    /** The initial weights of {@code spec} for {@code seed}. */
    public static Weights initialize(ModelSpec spec, long seed) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (ParameterSpec p : spec.parameters().values()) {
            out.put(p.name(), initialize(p, seed));
        }
        return new Weights(out);
    }

    /** The initial value of one parameter for {@code seed}. */
    public static Tensor initialize(ParameterSpec p, long seed) {
        float[] data = new float[Math.toIntExact(p.size())];
        SplittableRandom random = new SplittableRandom(seed ^ stableHash(p.name()));
        switch (p.role()) {
            case WEIGHT, BIAS -> {
                double bound = 1.0 / Math.sqrt(p.fanIn());
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) random.nextDouble(-bound, bound);
                }
            }
            case EMBEDDING, POSITIONAL -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) (0.02 * gaussian(random));
                }
            }
            case NORM_SCALE, RUNNING_VAR -> java.util.Arrays.fill(data, 1f);
            case NORM_SHIFT, RUNNING_MEAN -> {
                // zeros
            }
        }
        return new Tensor(p.shape(), data);
    }

    private static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** A 64-bit FNV-1a hash of the name: stable across JVMs, unlike {@link String#hashCode()} mixing. */
    static long stableHash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
