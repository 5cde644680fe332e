package dev.bonsai.engine.djl;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.HessianVectorProbe;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.model.WeightInitializer;
import dev.bonsai.api.model.Weights;
import dev.bonsai.testkit.engine.SyntheticData;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The measuring side of {@link DjlHessianVectorMemoryTest}, run in a JVM of its own: computes Hessian-vector
 * products on a small dense net, single ones and batches of products on one graph, and prints one line,
 * {@code <resident bytes after the warm-up> <resident bytes after the products> <largest difference between the
 * last product and the first>}.
 *
 * <p>Arguments: the number of products to warm up with, then the number to measure (both multiples of 8).
 */
public final class HessianVectorMemoryRun {
    /** 64 inputs, two hidden layers of 256, 10 classes: 84,554 parameters (0.34 MB of floats). */
    static final ModelSpec NET = new ModelSpec("hvp-memory", Shape.of(64), List.of(
            new LayerSpec.Dense("fc1", 256, true), new LayerSpec.Activate("act1", Activation.TANH),
            new LayerSpec.Dense("fc2", 256, true), new LayerSpec.Activate("act2", Activation.TANH),
            new LayerSpec.Dense("fc3", 10, true)));

    private HessianVectorMemoryRun() {
    }

    public static void main(String[] args) throws IOException {
        int warmUp = Integer.parseInt(args[0]);
        int products = Integer.parseInt(args[1]);
        Split split = SyntheticData.random("m", 32, NET.inputShape(), 10, 7);
        int[] order = new int[split.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        List<Batch> batches = List.of(split.batch(order, 0, 16), split.batch(order, 16, 32));
        PrintStream out = System.out;
        try (DjlRuntime runtime = new DjlEngine().create(new DjlOptions(1));
                DjlNetwork network = runtime.build(NET, WeightInitializer.initialize(NET, 1), "cpu")) {
            HessianVectorProbe probe = network.capability(HessianVectorProbe.class).orElseThrow();
            Weights v = WeightInitializer.initialize(NET, 2);
            Weights first = probe.hessianVector(v, batches);
            Weights[] last = new Weights[1];
            // 8 products: 4 single ones (a graph each) and 4 on one graph, as Hutchinson asks for them
            Runnable eight = () -> {
                for (int i = 0; i < 4; i++) {
                    last[0] = probe.hessianVector(v, batches);
                }
                probe.hessianVectors(batches, 4, k -> v, (vector, product) -> last[0] = product);
            };
            for (int i = 0; i < warmUp / 8; i++) {
                eight.run();
            }
            long before = residentBytes();
            for (int i = 0; i < products / 8; i++) {
                eight.run();
            }
            long after = residentBytes();
            out.println(before + " " + after + " " + largestDifference(first, last[0]));
        }
    }

    private static double largestDifference(Weights a, Weights b) {
        double largest = 0;
        for (Map.Entry<String, Tensor> e : a.asMap().entrySet()) {
            float[] x = e.getValue().data();
            float[] y = b.get(e.getKey()).data();
            for (int i = 0; i < x.length; i++) {
                largest = Math.max(largest, Math.abs(x[i] - y[i]));
            }
        }
        return largest;
    }

    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
            }
        }
        throw new IllegalStateException("/proc/self/status has no VmRSS line");
    }
}
