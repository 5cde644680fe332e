package dev.bonsai.api.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bonsai.api.model.Shape;
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
