package dev.bonsai.experiments.pretrained;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bonsai.api.data.Batch;
import dev.bonsai.api.engine.EngineRuntime;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.engine.djl.DjlEngine;
import dev.bonsai.engine.djl.DjlOptions;
import dev.bonsai.models.pretrained.DecoderConfig;
import dev.bonsai.models.pretrained.llama2c.Llama2cFormat;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * stories260K read from its llama2.c file and run by the djl engine gives the reference logits of the model's
 * README (measured there with an independent float64 numpy implementation): the prompt {@code [1, 403, 407, 261,
 * 378]} ("Once upon a time" after BOS). Skipped where the shared models are absent.
 */
class Stories260KLogitsTest {
    private static final int[] PROMPT = {1, 403, 407, 261, 378};
    private static final double TOLERANCE = 1e-4;

    @Test
    void djlGivesTheReadmeLogitsAndNegativeLogLikelihood() throws IOException {
        Llama2cFormat.Loaded model = Llama2cFormat.readWeights(SharedStories260K.checkpoint());
        DecoderConfig c = model.config();
        float[] ids = new float[PROMPT.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = PROMPT[i];
        }
        try (EngineRuntime runtime = new DjlEngine().create(DjlOptions.defaults());
                Network network = runtime.build(c.toSpec("stories260K", PROMPT.length), model.weights(), "cpu")) {
            Tensor logits = network.logits(new Batch(new Tensor(Shape.of(1, PROMPT.length), ids),
                    new int[PROMPT.length]));
            assertThat(logits.shape()).isEqualTo(Shape.of(1, PROMPT.length, 512));
            float[] l = logits.data();
            double[] first = {-6.222914, 8.404342, -6.223739, -6.222544, -6.221953};
            for (int id = 0; id < first.length; id++) {
                assertThat((double) l[id]).as("position 0, id %d", id).isCloseTo(first[id], within(TOLERANCE));
            }
            int last = (PROMPT.length - 1) * 512;
            int[] top = {432, 383, 322, 353, 323};
            double[] topValues = {17.799398, 14.281259, 9.709651, 9.587290, 9.134243};
            for (int k = 0; k < top.length; k++) {
                assertThat((double) l[last + top[k]]).as("last position, id %d", top[k])
                        .isCloseTo(topValues[k], within(TOLERANCE));
            }
            for (int id = 0; id < 512; id++) {
                if (!isTop(top, id)) {
                    assertThat((double) l[last + id]).as("id %d, outside the top five", id)
                            .isLessThan(topValues[4]);
                }
            }
            double nll = 0;
            for (int t = 0; t + 1 < PROMPT.length; t++) {
                nll += logSumExp(l, t * 512) - l[t * 512 + PROMPT[t + 1]];
            }
            assertThat(nll).isCloseTo(0.2740904, within(TOLERANCE));
        }
    }

    private static boolean isTop(int[] top, int id) {
        return java.util.Arrays.stream(top).anyMatch(t -> t == id);
    }

    private static double logSumExp(float[] l, int from) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < 512; i++) {
            max = Math.max(max, l[from + i]);
        }
        double sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += Math.exp(l[from + i] - max);
        }
        return max + Math.log(sum);
    }
}
