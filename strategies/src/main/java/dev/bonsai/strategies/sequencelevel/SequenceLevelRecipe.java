package dev.bonsai.strategies.sequencelevel;

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Spi;
import dev.bonsai.api.data.Split;
import dev.bonsai.api.distill.DistillationRecipe;
import dev.bonsai.api.engine.LossTerm;
import dev.bonsai.api.engine.Network;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.strategies.generation.Generator;
import dev.bonsai.strategies.generation.Sampling;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Sequence-level distillation ({@code sequence-level}): the teacher writes the student's training data, and the
 * student learns it as if it were the dataset.
 *
 * <ul>
 *   <li><b>Language models</b> (a label per position, a causal teacher): the teacher samples {@code tokens} tokens
 *       of text as {@code streams} independent texts, each starting from a token drawn from the training data
 *       (temperature, top-k). The student's training split is cut from that text: as many windows of the training
 *       split's length as the training split has (so an epoch has the same number of steps as on the corpus),
 *       evenly spaced along each text; each position is labelled with the next token the teacher wrote.</li>
 *   <li><b>Classifiers</b>: the training inputs labelled with the teacher's arg-max class.</li>
 * </ul>
 * With {@code labels: soft} the student learns the teacher's whole distribution on that data instead (KL at
 * temperature 1): on the teacher's text for a language model (Kim &amp; Rush's word-level distillation on
 * sequence-level data), on the training inputs for a classifier. Evaluation stays on the dataset's own splits.
 *
 * <p>Y. Kim and A. M. Rush, "Sequence-Level Knowledge Distillation", EMNLP 2016 (arXiv:1606.07947). The paper
 * approximates the teacher's mode by beam search; sampling (temperature 0 for greedy decoding) is what small
 * language models trained on generated text use today.
 */
public final class SequenceLevelRecipe implements DistillationRecipe<SequenceLevelOptions> {
    private static final Logger LOG = LogManager.getLogger(SequenceLevelRecipe.class);
    private static final int LABEL_BATCH = 1000;

    /** Creates the recipe; it is stateless. */
    public SequenceLevelRecipe() {
    }

    @Override
    public String id() {
        return "sequence-level";
    }

    @Override
    public String description() {
        return "Teacher-written data: sampled text for language models, teacher labels for classifiers "
                + "(Kim & Rush 2016)";
    }

    @Override
    public Class<SequenceLevelOptions> optionsType() {
        return SequenceLevelOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public List<LossTerm> lossTerms(SequenceLevelOptions options) {
        return options.labels() == SequenceLevelOptions.Labels.HARD ? List.of(new LossTerm.CrossEntropy(1))
                : List.of(new LossTerm.SoftTargetKl(1, 1));
    }

    @Override
    public boolean needsTeacher(SequenceLevelOptions options) {
        return true;
    }

    @Override
    public Split trainingData(SequenceLevelOptions options, Split train, Optional<Network> teacher, long seed) {
        Network t = teacher.orElseThrow(() -> new IllegalStateException("sequence-level needs the teacher"));
        if (train.labelsPerSample() > 1) {
            return text(options, train, t, seed);
        }
        return options.labels() == SequenceLevelOptions.Labels.HARD ? teacherLabels(train, t) : train;
    }

    /** The training inputs labelled with the teacher's arg-max class. */
    static Split teacherLabels(Split train, Network teacher) {
        int n = train.size();
        int[] labels = new int[n];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int from = 0; from < n; from += LABEL_BATCH) {
            int to = Math.min(n, from + LABEL_BATCH);
            Tensor logits = teacher.logits(train.batch(order, from, to));
            int classes = logits.shape().dim(-1);
            if (logits.size() != (to - from) * classes) {
                throw new BonsaiException("sequence-level: the teacher gives " + logits.shape() + " logits for a batch "
                        + "of " + (to - from) + " samples, not one class distribution per sample");
            }
            float[] l = logits.data();
            for (int i = 0; i < to - from; i++) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (l[i * classes + c] > l[i * classes + best]) {
                        best = c;
                    }
                }
                labels[from + i] = best;
            }
        }
        long changed = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] != train.labels()[i]) {
                changed++;
            }
        }
        LOG.info("sequence-level: the teacher labelled {} training samples; it disagrees with the dataset on {} "
                + "({}%)", n, changed, String.format("%.2f", 100.0 * changed / n));
        return train.withLabels(train.name() + "-teacher-labels", labels, 1);
    }

    /** Text the teacher writes, cut into as many windows of the training split's length as it has. */
    static Split text(SequenceLevelOptions options, Split train, Network teacher, long seed) {
        Generator generator = new Generator(teacher);
        int context = train.labelsPerSample();
        if (train.sampleShape().rank() != 1 || train.sampleShape().dim(0) != context) {
            throw new BonsaiException("sequence-level: the training samples have shape " + train.sampleShape() + " and "
                    + context + " labels each; teacher-written text needs [T] token ids labelled at every position");
        }
        int streams = Math.min(options.streams(), options.tokens());
        int length = (int) Math.ceil((double) options.tokens() / streams);
        if (length < context + 1) {
            throw new BonsaiException("sequence-level: " + options.tokens() + " tokens as " + streams + " texts are "
                    + length + " tokens per text, fewer than the " + (context + 1) + " one training window of "
                    + context + " needs; write more tokens or fewer streams");
        }
        SplittableRandom random = new SplittableRandom(seed ^ 0x5E0_1EE7L);
        List<int[]> prompts = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            int window = random.nextInt(train.size());
            prompts.add(new int[] {(int) train.value(window, 0)});
        }
        long total = (long) streams * length;
        LOG.info("sequence-level: the teacher writes {} tokens as {} texts of {} (temperature {}, {})", total, streams,
                length, options.temperature(), options.topK() == 0 ? "all tokens" : "top-" + options.topK());
        long t0 = System.nanoTime();
        long[] nextReport = {total / 10};
        List<int[]> written = generator.generate(prompts, length - 1,
                new Sampling(options.temperature(), options.topK()), seed, streams, done -> {
                    if (done >= nextReport[0] && done < total) {
                        double seconds = (System.nanoTime() - t0) / 1e9;
                        LOG.info("sequence-level: {} of {} tokens written ({} tokens/s)", done, total,
                                String.format("%.0f", done / seconds));
                        nextReport[0] += total / 10;
                    }
                });
        LOG.info("sequence-level: {} tokens written in {} s", total,
                String.format("%.1f", (System.nanoTime() - t0) / 1e9));
        List<int[]> texts = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            int[] text = new int[length];
            text[0] = prompts.get(s)[0];
            System.arraycopy(written.get(s), 0, text, 1, length - 1);
            texts.add(text);
        }
        return windows(texts, train.size(), context, train.name() + "-teacher-text");
    }

    /**
     * {@code count} windows of {@code context} tokens, each labelled with the next token at every position, spread
     * over the texts as evenly as they divide (the first texts take one more when they do not), and evenly spaced
     * along each text from its start to its end.
     */
    static Split windows(List<int[]> texts, int count, int context, String name) {
        // the texts end to end as one stream; a window of stride 1 starts at every position, and the chosen ones
        // (each within its text) are taken as a compact subset: 2 bytes per token, not 8 per window position
        int total = 0;
        for (int[] text : texts) {
            total = Math.addExact(total, text.length);
        }
        int[] stream = new int[total];
        int[] starts = new int[count];
        int w = 0;
        int offset = 0;
        for (int s = 0; s < texts.size(); s++) {
            int[] text = texts.get(s);
            System.arraycopy(text, 0, stream, offset, text.length);
            int mine = count / texts.size() + (s < count % texts.size() ? 1 : 0);
            int span = text.length - context - 1;
            for (int i = 0; i < mine; i++, w++) {
                starts[w] = offset + (mine == 1 ? 0 : (int) ((long) i * span / (mine - 1)));
            }
            offset += text.length;
        }
        return Split.ofTokenWindows(name, stream, context, 1).subset(name, starts);
    }
}
