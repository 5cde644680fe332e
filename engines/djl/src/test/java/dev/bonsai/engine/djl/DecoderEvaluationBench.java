package dev.bonsai.engine.djl;

import dev.bonsai.api.data.BatchSampler;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.engine.Evaluation;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.api.engine.LrSchedule;
import dev.bonsai.api.engine.OptimizerSpec;
import dev.bonsai.api.engine.TrainingConfig;
import dev.bonsai.api.engine.TrainingListener;
import dev.bonsai.api.engine.TrainingPlan;
import dev.bonsai.api.engine.TrainingResult;
import dev.bonsai.api.model.Activation;
import dev.bonsai.api.model.LayerSpec;
import dev.bonsai.api.model.ModelSpec;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.WeightInitializer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures (never asserts) the throughput of a stories260K-sized LLaMA decoder (vocabulary 512, width 64, 5 blocks
 * of 8 query heads on 4 key/value heads of width 8, MLP 172, rotary θ 10⁴, tied output) on random windows of 256
 * tokens in batches of 16, with one intra-op thread: evaluation without gradients, as the PyTorch peer
 * {@code torch_llama.py --method dense} evaluates, then one epoch of training with Adam. Reports tokens per second
 * of wall time and of the calling thread's CPU time (PyTorch runs its operators on the calling thread with one
 * intra-op thread), the latter being the steadier figure on a loaded machine. Run with {@code mvn -o -q -pl
 * engines/djl -am test -Dtest=DecoderEvaluationBench -Dbonsai.bench=true -Dsurefire.failIfNoSpecifiedTests=false};
 * optional {@code -Dbonsai.bench.windows=N}, {@code .threads}, {@code .reps}, and {@code .profile=FILE} to write
 * PyTorch's profiler trace (Chrome trace format) of one more evaluation to FILE.
 */
class DecoderEvaluationBench {
    private static final Logger LOG = LogManager.getLogger(DecoderEvaluationBench.class);
    private static final int CONTEXT = 256;
    private static final int VOCAB = 512;

    @Test
    @EnabledIfSystemProperty(named = "bonsai.bench", matches = "true")
    void stories260kSizedEvaluation() {
        int windows = Integer.getInteger("bonsai.bench.windows", 64);
        int threads = Integer.getInteger("bonsai.bench.threads", 1);
        int reps = Integer.getInteger("bonsai.bench.reps", 3);
        ModelSpec spec = stories260kSized();
        Split data = randomWindows(windows);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        try (DjlRuntime runtime = new DjlEngine().create(new DjlOptions(threads));
                DjlNetwork network = runtime.build(spec, WeightInitializer.initialize(spec, 1), "cpu")) {
            network.evaluate(data, 16);
            String profile = System.getProperty("bonsai.bench.profile");
            if (profile != null) {
                ai.djl.pytorch.jni.JniUtils.startProfile(false, false, false);
                network.evaluate(data, 16);
                ai.djl.pytorch.jni.JniUtils.stopProfile(profile);
            }
            for (int rep = 0; rep < reps; rep++) {
                long wall = System.nanoTime();
                long thread = cpu.getCurrentThreadCpuTime();
                Evaluation e = network.evaluate(data, 16);
                double wallSeconds = (System.nanoTime() - wall) / 1e9;
                double cpuSeconds = (cpu.getCurrentThreadCpuTime() - thread) / 1e9;
                long tokens = (long) windows * CONTEXT;
                LOG.warn(String.format("djl %s stories260K-sized evaluation, %d windows of %d, batch 16: %.0f tokens/s"
                                + " wall, %.0f tokens/s thread CPU (loss %.3f)", runtime.versions(), windows, CONTEXT,
                        tokens / wallSeconds, tokens / cpuSeconds, e.loss()));
            }
            TrainingConfig config = new TrainingConfig(1, 16, new OptimizerSpec.Adam(1e-3, 0.9, 0.999, 1e-8, 0, false),
                    new LrSchedule.Constant(), 0, List.of(new LossTerm.CrossEntropy(1)));
            for (int rep = 0; rep < reps; rep++) {
                long thread = cpu.getCurrentThreadCpuTime();
                TrainingResult r = network.train(new TrainingPlan(data, new BatchSampler(1), rep, config,
                        Optional.empty()), TrainingListener.NONE);
                double cpuSeconds = (cpu.getCurrentThreadCpuTime() - thread) / 1e9;
                long tokens = r.steps() * 16L * CONTEXT;
                LOG.warn(String.format("djl stories260K-sized training (Adam), batch 16: %.0f tokens/s wall, %.0f"
                        + " tokens/s thread CPU (loss %.3f)", tokens / r.seconds(), tokens / cpuSeconds,
                        r.epochLosses().get(0)));
            }
        }
    }

    private static ModelSpec stories260kSized() {
        List<LayerSpec> layers = new ArrayList<>();
        layers.add(new LayerSpec.Embedding("embed", VOCAB, 64));
        for (int i = 0; i < 5; i++) {
            layers.add(new LayerSpec.DecoderBlock("blocks." + i, true, 1e-5,
                    new LayerSpec.Attention("attn", 8, 4, 8, 10_000, false, false),
                    new LayerSpec.FeedForward("mlp", 172, Activation.SILU, true, false)));
        }
        layers.add(new LayerSpec.RmsNorm("norm", 1e-5));
        layers.add(new LayerSpec.TiedOutput("head", "embed", VOCAB));
        return new ModelSpec("stories260K-sized", Shape.of(CONTEXT), layers);
    }

    private static Split randomWindows(int windows) {
        SplittableRandom random = new SplittableRandom(1);
        float[] features = new float[windows * CONTEXT];
        int[] labels = new int[windows * CONTEXT];
        for (int i = 0; i < features.length; i++) {
            features[i] = random.nextInt(VOCAB);
            labels[i] = random.nextInt(VOCAB);
        }
        return new Split("random-windows", Shape.of(CONTEXT), features, labels, CONTEXT);
    }
}
