package dev.bonsai.experiments.pretrained;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.engine.djl.DjlEngine;
import dev.bonsai.engine.djl.DjlOptions;
import dev.bonsai.models.pretrained.PretrainedModel;
import dev.bonsai.models.pretrained.gguf.GgufFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * llama-2-tiny-random.gguf read by the GGUF format (tokenizer included) and run by the djl engine gives the figures
 * of the model's README, measured there with an independent float64 numpy implementation: "Once upon a time" is
 * {@code [1, 9038, 2501, 263, 931]}, the last position's top three logits and the first four at position 0. The
 * weights are F16 widened exactly, so float32 arithmetic agrees to about 1e-7 on logits near 0.2. Skipped where the
 * shared models are absent.
 */
class TinyRandomGgufLogitsTest {
    private static final int VOCAB = 32000;
    private static final double TOLERANCE = 2e-6;

    @Test
    void tokenizerAndDjlGiveTheReadmeFigures() throws IOException {
        PretrainedModel model = new GgufFormat().read(file());
        int[] text = model.tokenizer().encode("Once upon a time");
        int[] prompt = IntStream.concat(IntStream.of(model.tokenizer().bos().orElseThrow()), IntStream.of(text))
                .toArray();
        assertThat(prompt).containsExactly(1, 9038, 2501, 263, 931);
        assertThat(model.tokenizer().decode(prompt)).isEqualTo("Once upon a time");

        float[] ids = new float[prompt.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = prompt[i];
        }
        try (EngineRuntime runtime = new DjlEngine().create(DjlOptions.defaults());
                Network network = runtime.build(model.config().toSpec("llama-2-tiny-random", prompt.length),
                        model.weights(), "cpu")) {
            Tensor logits = network.logits(new Batch(new Tensor(Shape.of(1, prompt.length), ids),
                    new int[prompt.length]));
            assertThat(logits.shape()).isEqualTo(Shape.of(1, prompt.length, VOCAB));
            float[] l = logits.data();
            double[] first = {0.08842075, -0.02130462, -0.02884066, -0.06928299};
            for (int id = 0; id < first.length; id++) {
                assertThat((double) l[id]).as("position 0, id %d", id).isCloseTo(first[id], within(TOLERANCE));
            }
            int last = (prompt.length - 1) * VOCAB;
            int[] top = {17196, 30883, 14238};
            double[] topValues = {0.2059022, 0.2018950, 0.2012576};
            for (int k = 0; k < top.length; k++) {
                assertThat((double) l[last + top[k]]).as("last position, id %d", top[k])
                        .isCloseTo(topValues[k], within(TOLERANCE));
            }
            for (int id = 0; id < VOCAB; id++) {
                if (id != top[0] && id != top[1] && id != top[2]) {
                    assertThat(l[last + id]).as("id %d, outside the top three", id).isLessThan(l[last + top[2]]);
                }
            }
        }
    }

    /** The shared llama-2-tiny-random.gguf above the working directory, or the test is skipped. */
    static Path file() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("shared/models/llama-2-tiny-random/llama-2-tiny-random.gguf");
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        assumeTrue(false, "no shared/models/llama-2-tiny-random/llama-2-tiny-random.gguf above "
                + Path.of("").toAbsolutePath() + ": skipping the GGUF reference test");
        throw new AssertionError("unreachable");
    }
}
