package dev.bonsai.benchmarks;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.data.DatasetInfo;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.ParameterRole;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.prune.Mask;
import dev.bonsai.api.prune.MaskSet;
import dev.bonsai.engine.djl.DjlEngine;
import dev.bonsai.engine.djl.DjlOptions;
import dev.bonsai.engine.dl4j.Dl4jEngine;
import dev.bonsai.engine.dl4j.Dl4jOptions;
import dev.bonsai.models.LeNet300100;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** What the benchmarks share: LeNet-300-100 on MNIST-shaped random data, the engines, seeded masks and scores. */
final class Fixtures {
    /** The batch size of every training benchmark, as the PyTorch peer and {@code bonsai bench} use. */
    static final int BATCH = 128;

    private Fixtures() {
    }

    /** LeNet-300-100 for {@code [1, 28, 28]} inputs and 10 classes (266,610 parameters). */
    static ModelSpec lenet() {
        return new LeNet300100().build(new NoOptions(), new DatasetInfo("synthetic-mnist", Shape.of(1, 28, 28), 10,
                Map.of()));
    }

    /** {@code samples} uniform random MNIST-shaped samples with random labels, from {@code seed}. */
    static Split mnistLike(int samples, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[samples * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        int[] y = new int[samples];
        for (int i = 0; i < y.length; i++) {
            y[i] = random.nextInt(10);
        }
        return new Split("bench", Shape.of(1, 28, 28), x, y);
    }

    /** The engine {@code id} ({@code djl} or {@code dl4j}) loaded with its default options. */
    static EngineRuntime engine(String id) {
        return switch (id) {
            case "djl" -> new DjlEngine().create(DjlOptions.defaults());
            case "dl4j" -> new Dl4jEngine().create(Dl4jOptions.defaults());
            default -> throw new IllegalArgumentException("unknown engine '" + id + "' (known: djl, dl4j)");
        };
    }

    /** The weight matrices of {@code spec}, the prunable parameters. */
    static List<ParameterSpec> weights(ModelSpec spec) {
        return spec.parameters(ParameterRole.WEIGHT);
    }

    /** Masks that prune a seeded random {@code sparsity} of every weight matrix. */
    static MaskSet randomMasks(ModelSpec spec, double sparsity, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Mask> out = new LinkedHashMap<>();
        for (ParameterSpec p : weights(spec)) {
            int size = Math.toIntExact(p.size());
            BitSet kept = new BitSet(size);
            for (int i = 0; i < size; i++) {
                if (random.nextDouble() >= sparsity) {
                    kept.set(i);
                }
            }
            out.put(p.name(), new Mask(p.shape(), kept));
        }
        return new MaskSet(out);
    }

    /** Seeded uniform scores for every weight of {@code spec}. */
    static Map<String, float[]> randomScores(ModelSpec spec, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, float[]> out = new LinkedHashMap<>();
        for (ParameterSpec p : weights(spec)) {
            float[] s = new float[Math.toIntExact(p.size())];
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) random.nextDouble();
            }
            out.put(p.name(), s);
        }
        return out;
    }
}
