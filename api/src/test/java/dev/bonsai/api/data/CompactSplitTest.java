package dev.bonsai.api.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.model.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompactSplitTest {
    private static final Shape SHAPE = Shape.of(3, 2, 4);
    private static final int SIZE = 24;

    /** A byte split and the float split decoded from it by hand, element by element, with the same tables. */
    private record Pair(Split compact, Split floats) {
    }

    private static Pair pair(Random random, int n, int channels) {
        byte[] bytes = new byte[n * SIZE];
        random.nextBytes(bytes);
        int[] labels = random.ints(n, 0, 10).toArray();
        float[][] tables = new float[channels][256];
        for (float[] t : tables) {
            for (int v = 0; v < 256; v++) {
                t[v] = (float) random.nextGaussian();
            }
        }
        float[] decoded = new float[bytes.length];
        int channelSize = SIZE / channels;
        for (int i = 0; i < bytes.length; i++) {
            decoded[i] = tables[(i % SIZE) / channelSize][Byte.toUnsignedInt(bytes[i])];
        }
        return new Pair(Split.ofBytes("c", SHAPE, bytes, labels, tables), new Split("f", SHAPE, decoded, labels));
    }

    @Test
    void compactAndFloatSplitsAgreeOnEveryAccessForRandomOrders() {
        Random random = new Random(7);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + random.nextInt(40);
            Pair p = pair(random, n, trial % 2 == 0 ? 3 : 1);
            int[] order = random.ints(random.nextInt(2 * n) + 1, 0, n).toArray();
            int from = random.nextInt(order.length);
            int to = from + 1 + random.nextInt(order.length - from);

            Batch a = p.compact().batch(order, from, to);
            Batch b = p.floats().batch(order, from, to);
            assertThat(a.features().data()).containsExactly(b.features().data());
            assertThat(a.labels()).containsExactly(b.labels());
            assertThat(a.features().shape()).isEqualTo(b.features().shape());

            float[] ga = new float[5 + (to - from) * SIZE];
            float[] gb = new float[ga.length];
            p.compact().gather(order, from, to, ga, 5);
            p.floats().gather(order, from, to, gb, 5);
            assertThat(ga).containsExactly(gb);

            int r0 = random.nextInt(n);
            int r1 = r0 + random.nextInt(n - r0 + 1);
            float[] ca = new float[(r1 - r0) * SIZE];
            float[] cb = new float[ca.length];
            p.compact().copyRows(r0, r1, ca, 0);
            p.floats().copyRows(r0, r1, cb, 0);
            assertThat(ca).containsExactly(cb);

            Split sa = p.compact().subset("s", order);
            Split sb = p.floats().subset("s", order);
            assertThat(sa.isCompact()).isTrue();
            assertThat(sb.isCompact()).isFalse();
            assertThat(sa.labels()).containsExactly(sb.labels());
            assertThat(sa.features()).containsExactly(sb.features());

            int batch = 1 + random.nextInt(7);
            List<Batch> la = p.compact().batchesInOrder(batch);
            List<Batch> lb = p.floats().batchesInOrder(batch);
            assertThat(la).hasSameSizeAs(lb);
            for (int i = 0; i < la.size(); i++) {
                assertThat(la.get(i).features().data()).containsExactly(lb.get(i).features().data());
                assertThat(la.get(i).labels()).containsExactly(lb.get(i).labels());
            }
            int s = random.nextInt(n);
            int pos = random.nextInt(SIZE);
            assertThat(p.compact().value(s, pos)).isEqualTo(p.floats().value(s, pos));
            assertThat(p.compact().features()).containsExactly(p.floats().features());
        }
    }

    /** Windows built the plain way, as floats and ints, one copy per window. */
    private static Split denseWindows(int[] tokens, int context, int stride) {
        int count = (tokens.length - context - 1) / stride + 1;
        float[] f = new float[count * context];
        int[] l = new int[count * context];
        for (int w = 0; w < count; w++) {
            for (int t = 0; t < context; t++) {
                f[w * context + t] = tokens[w * stride + t];
                l[w * context + t] = tokens[w * stride + t + 1];
            }
        }
        return new Split("dense", Shape.of(context), f, l, context);
    }

    private static void assertSameSamples(Split actual, Split expected) {
        assertThat(actual.size()).isEqualTo(expected.size());
        assertThat(actual.sampleShape()).isEqualTo(expected.sampleShape());
        assertThat(actual.labelsPerSample()).isEqualTo(expected.labelsPerSample());
        int[] order = new int[actual.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = order.length - 1 - i;
        }
        Batch a = actual.batch(order, 0, order.length);
        Batch b = expected.batch(order, 0, order.length);
        assertThat(a.features().data()).containsExactly(b.features().data());
        assertThat(a.labels()).containsExactly(b.labels());
    }

    @Test
    void tokenWindowsAgreeWithWindowsCopiedOutForRandomContextsStridesAndOrders() {
        Random random = new Random(11);
        for (int trial = 0; trial < 60; trial++) {
            int context = 1 + random.nextInt(9);
            int stride = 1 + random.nextInt(12);
            int length = context + 1 + random.nextInt(80);
            int vocabulary = trial % 3 == 0 ? 200_000 : 65_536; // ids past 16 bits are kept as ints
            int[] tokens = random.ints(length, 0, vocabulary).toArray();
            Split view = Split.ofTokenWindows("view", tokens, context, stride);
            Split dense = denseWindows(tokens, context, stride);
            assertThat(view.isCompact()).isTrue();
            assertSameSamples(view, dense);

            int n = dense.size();
            int[] order = random.ints(1 + random.nextInt(2 * n), 0, n).toArray();
            int from = random.nextInt(order.length);
            int to = from + 1 + random.nextInt(order.length - from);
            Batch a = view.batch(order, from, to);
            Batch b = dense.batch(order, from, to);
            assertThat(a.features().data()).containsExactly(b.features().data());
            assertThat(a.labels()).containsExactly(b.labels());
            int[] la = new int[3 + (to - from) * context];
            int[] lb = new int[la.length];
            view.gatherLabels(order, from, to, la, 3);
            dense.gatherLabels(order, from, to, lb, 3);
            assertThat(la).containsExactly(lb);

            Split sa = view.subset("s", order);
            assertThat(sa.isCompact()).isTrue();
            assertSameSamples(sa, dense.subset("s", order));
            assertSameSamples(sa.subset("t", new int[] {0}), dense.subset("t", new int[] {order[0]}));

            int batch = 1 + random.nextInt(5);
            List<Batch> ba = view.batchesInOrder(batch);
            List<Batch> bb = dense.batchesInOrder(batch);
            for (int i = 0; i < bb.size(); i++) {
                assertThat(ba.get(i).features().data()).containsExactly(bb.get(i).features().data());
                assertThat(ba.get(i).labels()).containsExactly(bb.get(i).labels());
            }
            int s = random.nextInt(n);
            int p = random.nextInt(context);
            assertThat(view.value(s, p)).isEqualTo(dense.value(s, p));
            assertThat(view.label(s, p)).isEqualTo(dense.label(s, p));
            assertThat(view.minLabel()).isEqualTo(Arrays.stream(dense.labels()).min().getAsInt());
            assertThat(view.maxLabel()).isEqualTo(Arrays.stream(dense.labels()).max().getAsInt());
            assertThat(view.labels()).containsExactly(dense.labels());
            assertThat(view.features()).containsExactly(dense.features());
        }
    }

    @Test
    void tokenWindowsHoldTheStreamOnceHoweverTheyOverlap() {
        int[] tokens = new Random(3).ints(10_001, 0, 65).toArray();
        Split overlapping = Split.ofTokenWindows("w", tokens, 100, 1);
        Split dense = denseWindows(tokens, 100, 1);
        assertThat(overlapping.size()).isEqualTo(9_901);
        assertThat(overlapping.heldBytes()).isEqualTo(2L * 10_001);
        assertThat(dense.heldBytes()).isEqualTo(8L * 9_901 * 100);
        Split wide = Split.ofTokenWindows("w", new int[] {70_000, 1, 2}, 2, 2);
        assertThat(wide.heldBytes()).isEqualTo(4L * 3);
        assertThat(wide.labels()).containsExactly(1, 2);
        assertThat(wide.heldBytes()).isEqualTo(4L * 3 + 4L * 2);
        assertThatThrownBy(() -> Split.ofTokenWindows("short", new int[] {1, 2}, 2, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs at least 3");
        assertThatThrownBy(() -> Split.ofTokenWindows("zero", tokens, 4, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
    }

    @Test
    void featuresAreMaterialisedOnceAndCountedInTheHeldBytes() {
        Pair p = pair(new Random(1), 10, 3);
        assertThat(p.compact().heldBytes()).isEqualTo(10L * SIZE + 4L * 10);
        assertThat(p.floats().heldBytes()).isEqualTo(4L * 10 * SIZE + 4L * 10);
        float[] first = p.compact().features();
        assertThat(p.compact().features()).isSameAs(first);
        assertThat(p.compact().heldBytes()).isEqualTo(10L * SIZE + 4L * 10 + 4L * 10 * SIZE);
        float[] raw = p.floats().features();
        assertThat(p.floats().heldBytes()).isEqualTo(4L * 10 * SIZE + 4L * 10);
        assertThat(p.floats().features()).isSameAs(raw);
    }

    @Test
    void relabellingSharesTheFeatures() {
        Pair p = pair(new Random(2), 4, 3);
        Split relabelled = p.compact().withLabels("r", new int[] {9, 8, 7, 6, 5, 4, 3, 2}, 2);
        assertThat(relabelled.isCompact()).isTrue();
        assertThat(relabelled.labelsPerSample()).isEqualTo(2);
        assertThat(relabelled.features()).containsExactly(p.floats().features());
        assertThatThrownBy(() -> p.compact().withLabels("r", new int[] {1, 2, 3}, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a multiple of 2");
    }

    @Test
    void badTablesAndCountsAreRejectedWithTheReason() {
        byte[] bytes = new byte[2 * SIZE];
        int[] labels = {0, 1};
        assertThatThrownBy(() -> Split.ofBytes("t", SHAPE, bytes, labels, new float[5][256]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 channel tables");
        assertThatThrownBy(() -> Split.ofBytes("t", SHAPE, bytes, labels, new float[][] {new float[255]}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("255 entries, expected 256");
        assertThatThrownBy(() -> Split.ofBytes("t", SHAPE, bytes, new int[] {0}, new float[1][256]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("feature values");
        Split ok = Split.ofBytes("t", SHAPE, bytes, labels, new float[1][256]);
        assertThatThrownBy(() -> ok.batch(new int[] {0, 2}, 0, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ok.subset("s", new int[] {-1})).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
