package dev.bonsai.strategies.sequencelevel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.distill.DistillationRecipe;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.strategies.sequencelevel.SequenceLevelOptions.Labels;
import dev.bonsai.strategies.support.PrefixNetwork;
import dev.bonsai.testkit.recipe.DistillationRecipeContract;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The recipe contract for {@code sequence-level}, and the data its teacher writes. */
class SequenceLevelRecipeTest extends DistillationRecipeContract<SequenceLevelOptions> {
    private static final int T = 6;
    private static final int VOCAB = 7;

    @Override
    protected DistillationRecipe<SequenceLevelOptions> recipe() {
        return new SequenceLevelRecipe();
    }

    private static SequenceLevelOptions options(int tokens, int streams, double temperature, Labels labels) {
        return new SequenceLevelOptions(tokens, streams, temperature, 0, labels);
    }

    /** 40 windows of T tokens of a corpus that counts up modulo the vocabulary. */
    private static Split corpus() {
        int n = 40;
        float[] f = new float[n * T];
        int[] l = new int[n * T];
        for (int w = 0; w < n; w++) {
            for (int t = 0; t < T; t++) {
                f[w * T + t] = (w + t) % VOCAB;
                l[w * T + t] = (w + t + 1) % VOCAB;
            }
        }
        return new Split("train", Shape.of(T), f, l, T);
    }

    @Test
    void learnsTheTeachersDataByCrossEntropyOrItsDistributionByKl() {
        assertThat(recipe().lossTerms(options(100, 2, 1, Labels.HARD))).containsExactly(new LossTerm.CrossEntropy(1));
        assertThat(recipe().lossTerms(options(100, 2, 1, Labels.SOFT)))
                .containsExactly(new LossTerm.SoftTargetKl(1, 1));
        assertThat(recipe().needsTeacher(options(100, 2, 1, Labels.HARD))).isTrue();
    }

    @Test
    void windowsAreSpreadEvenlyOverTheTextsAndLabelledWithTheNextToken() {
        int[] a = {0, 1, 2, 3, 4, 5, 6, 0, 1, 2};
        int[] b = {3, 3, 4, 4, 5, 5, 6, 6, 0, 0};
        Split split = SequenceLevelRecipe.windows(List.of(a, b), 5, 3, "x");

        // text a: 3 windows over starts 0..6 → 0, 3, 6; text b: 2 windows → 0, 6
        assertThat(split.size()).isEqualTo(5);
        assertThat(split.features()).containsExactly(0, 1, 2, 3, 4, 5, 6, 0, 1, 3, 3, 4, 6, 6, 0);
        assertThat(split.labels()).containsExactly(1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 4, 6, 0, 0);
        // held as each window's 4 tokens (its 3 and the target) at 2 bytes, plus the labels labels() built
        assertThat(split.isCompact()).isTrue();
        assertThat(split.heldBytes()).isEqualTo(2L * 5 * 4 + 4L * 15 + 4L * 15);
    }

    @Test
    void theTeacherWritesTheTextTheStudentLearns() {
        PrefixNetwork teacher = new PrefixNetwork(4, VOCAB, 10f);
        Split train = corpus();
        Split written = new SequenceLevelRecipe().trainingData(options(60, 3, 0, Labels.HARD), train,
                Optional.of(teacher), 5);

        assertThat(written.size()).isEqualTo(train.size());
        assertThat(written.sampleShape()).isEqualTo(train.sampleShape());
        assertThat(written.labelsPerSample()).isEqualTo(T);
        // greedy: each token the teacher wrote follows from the generator's window before it, which (context 4,
        // moving on to its last 2 tokens when full) holds 2, 3, 4, 2, 3, 4, … tokens: one phase of that cycle
        // explains every label of a training window
        float[] f = written.features();
        int[] l = written.labels();
        for (int w = 0; w < written.size(); w++) {
            for (int t = 0; t < T - 1; t++) {
                assertThat(l[w * T + t]).isEqualTo((int) f[w * T + t + 1]);
            }
            boolean explained = false;
            for (int phase = 0; phase < 3 && !explained; phase++) {
                boolean all = true;
                for (int t = 3; t < T; t++) {
                    int size = 2 + (t + phase) % 3;
                    int[] before = new int[size];
                    for (int k = 0; k < size; k++) {
                        before[k] = (int) f[w * T + t + 1 - size + k];
                    }
                    all &= l[w * T + t] == teacher.favourite(before);
                }
                explained = all;
            }
            assertThat(explained).as("window %d follows the generator's moving window", w).isTrue();
        }
        // not the corpus: the corpus counts up, the teacher sums
        assertThat(Arrays.equals(written.labels(), train.labels())).isFalse();
    }

    @Test
    void aSeedWritesTheSameTextAndAnotherSeedAnother() {
        PrefixNetwork teacher = new PrefixNetwork(4, VOCAB, 1f);
        SequenceLevelOptions sampled = options(80, 4, 1.0, Labels.HARD);
        Split a = new SequenceLevelRecipe().trainingData(sampled, corpus(), Optional.of(teacher), 1);
        Split b = new SequenceLevelRecipe().trainingData(sampled, corpus(), Optional.of(teacher), 1);
        Split c = new SequenceLevelRecipe().trainingData(sampled, corpus(), Optional.of(teacher), 2);
        assertThat(a.labels()).isEqualTo(b.labels());
        assertThat(a.features()).isEqualTo(b.features());
        assertThat(a.labels()).isNotEqualTo(c.labels());
    }

    @Test
    void tooLittleTextForOneWindowIsRefused() {
        assertThatThrownBy(() -> new SequenceLevelRecipe().trainingData(options(12, 4, 1, Labels.HARD), corpus(),
                Optional.of(new PrefixNetwork(4, VOCAB, 1f)), 1)).isInstanceOf(BonsaiException.class)
                .hasMessageContaining("3 tokens per text").hasMessageContaining("fewer than the 7");
    }

    @Test
    void aClassifiersStudentLearnsTheTeachersArgMaxLabels() {
        // the "teacher" says class 1 when the first feature is positive: it disagrees with labels that say otherwise
        float[] x = {1, 0, -1, 0, 2, 0, -3, 0};
        Split train = new Split("train", Shape.of(2), x, new int[] {1, 1, 0, 0});
        PrefixNetwork shape = new PrefixNetwork(2, 2, 1f);
        dev.bonsai.api.engine.Network teacher = new ForwardingNetwork(shape) {
            @Override
            public Tensor logits(Batch batch) {
                float[] in = batch.features().data();
                float[] out = new float[batch.size() * 2];
                for (int i = 0; i < batch.size(); i++) {
                    out[i * 2 + (in[i * 2] > 0 ? 1 : 0)] = 5;
                }
                return new Tensor(Shape.of(batch.size(), 2), out);
            }
        };
        Split labelled = new SequenceLevelRecipe().trainingData(options(100, 1, 1, Labels.HARD), train,
                Optional.of(teacher), 1);
        assertThat(labelled.labels()).containsExactly(1, 0, 1, 0);
        assertThat(labelled.features()).isSameAs(train.features());
        assertThat(new SequenceLevelRecipe().trainingData(options(100, 1, 1, Labels.SOFT), train,
                Optional.of(teacher), 1)).isSameAs(train);
    }
}
