package dev.bonsai.engine.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * {@link ScriptedAutograd} on a function with a known Hessian: {@code f(w, b, c) = Σ w_i³ + (Σ w_i)·(Σ b_j²) + Σ c_j}
 * of {@code w} (3), {@code b} (2) and {@code c} (2), plus a parameter {@code u} f does not use. Its gradient is
 * {@code (3w_i² + Σb², 2b_j·Σw, 1, 0)} and its Hessian-vector product with {@code (p, q, r, s)} is
 * {@code (6w_i p_i + 2⟨b, q⟩, 2b_j Σp + 2Σw·q_j, 0, 0)}, written out by hand below.
 */
class ScriptedAutogradTest {
    private static final float[] W = {1, -2, 0.5f};
    private static final float[] B = {3, -1};
    private static final float[] P = {0.25f, 1, -2};
    private static final float[] Q = {-1, 2};

    /**
     * Catches: a gradient or product that is wrong, misses the mixed terms between parameters, fails on a
     * parameter the loss does not use or a gradient with no graph, or that stores anything in the parameters'
     * gradient buffers (which is what made double backward leak).
     */
    @Test
    void gradientsAndProductsMatchTheHandComputedOnesAndLeaveParametersClean() {
        PtNDManager manager = (PtNDManager) Natives.load().newBaseManager(Device.cpu());
        boolean gradMode = JniUtils.isGradMode();
        try (manager) {
            PtNDArray w = leaf(manager, W);
            PtNDArray b = leaf(manager, B);
            PtNDArray c = leaf(manager, new float[] {5, 6});
            PtNDArray u = leaf(manager, new float[] {7});
            JniUtils.setGradMode(true);
            PtNDArray cubes = JniUtils.sum(JniUtils.mul(JniUtils.mul(w, w), w));
            PtNDArray mixed = JniUtils.mul(JniUtils.sum(w), JniUtils.sum(JniUtils.mul(b, b)));
            PtNDArray loss = JniUtils.add(JniUtils.add(cubes, mixed), JniUtils.sum(c));
            PtNDArray[] params = {w, b, c, u};
            PtNDArray[] g = ScriptedAutograd.gradient(loss, params);
            JniUtils.setGradMode(false);

            double sumB2 = B[0] * B[0] + B[1] * B[1];
            double sumW = W[0] + W[1] + W[2];
            assertClose(g[0], 3 * W[0] * W[0] + sumB2, 3 * W[1] * W[1] + sumB2, 3 * W[2] * W[2] + sumB2);
            assertClose(g[1], 2 * B[0] * sumW, 2 * B[1] * sumW);
            assertClose(g[2], 1, 1);
            assertClose(g[3], 0);

            PtNDArray[] directions = {upload(manager, P), upload(manager, Q), upload(manager, new float[] {1, 1}),
                    upload(manager, new float[] {1})};
            PtNDArray[] hv = ScriptedAutograd.product(g, directions, params);
            double bq = B[0] * Q[0] + B[1] * Q[1];
            double sumP = P[0] + P[1] + P[2];
            assertClose(hv[0], 6 * W[0] * P[0] + 2 * bq, 6 * W[1] * P[1] + 2 * bq, 6 * W[2] * P[2] + 2 * bq);
            assertClose(hv[1], 2 * B[0] * sumP + 2 * sumW * Q[0], 2 * B[1] * sumP + 2 * sumW * Q[1]);
            assertClose(hv[2], 0, 0);
            assertClose(hv[3], 0);

            // the graph is kept between products: a second direction on the same gradients, w's alone
            PtNDArray[] again = ScriptedAutograd.product(new PtNDArray[] {g[0]},
                    new PtNDArray[] {upload(manager, P)}, params);
            assertClose(again[0], 6 * W[0] * P[0], 6 * W[1] * P[1], 6 * W[2] * P[2]);
            assertClose(again[1], 2 * B[0] * sumP, 2 * B[1] * sumP);

            // only gradients with no graph: a product of zeros, no error
            PtNDArray[] constant = ScriptedAutograd.product(new PtNDArray[] {g[2]},
                    new PtNDArray[] {upload(manager, new float[] {1, 1})}, params);
            assertClose(constant[0], 0, 0, 0);

            for (PtNDArray p : params) {
                assertThat(JniUtils.getGradient(p)).as("gradient buffer of a parameter").isNull();
            }
            assertThat(w.getName()).as("a parameter's name after the call").isNull();
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /** Catches: mismatched gradients and directions reaching PyTorch, where the error names neither. */
    @Test
    void productRejectsMismatchedDirections() {
        try (PtNDManager manager = (PtNDManager) Natives.load().newBaseManager(Device.cpu())) {
            PtNDArray w = leaf(manager, W);
            assertThatThrownBy(() -> ScriptedAutograd.product(new PtNDArray[] {w}, new PtNDArray[0],
                    new PtNDArray[] {w})).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1 gradients and 0 directions");
        }
    }

    private static PtNDArray leaf(PtNDManager manager, float[] values) {
        PtNDArray x = upload(manager, values);
        JniUtils.attachGradient(x, true);
        return x;
    }

    private static PtNDArray upload(PtNDManager manager, float[] values) {
        return Nd.upload(manager, values, new long[] {values.length}, Device.cpu());
    }

    private static void assertClose(PtNDArray actual, double... expected) {
        float[] a = Nd.download(actual);
        assertThat(a).hasSize(expected.length);
        for (int i = 0; i < a.length; i++) {
            assertThat((double) a[i]).as("element %d", i).isCloseTo(expected[i], Offset.offset(1e-4));
        }
    }
}
