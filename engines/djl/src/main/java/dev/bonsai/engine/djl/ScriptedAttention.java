package dev.bonsai.engine.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import dev.bonsai.api.BonsaiException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * PyTorch's fused {@code scaled_dot_product_attention}, which DJL 0.36 does not expose, through a small TorchScript
 * module compiled from source ({@link ScriptArchive}) once per JVM and kept for its lifetime.
 *
 * <p>On the CPU PyTorch runs it as a blocked (flash) attention kernel: the {@code [T, T]} scores are never
 * materialised, and with {@code causal} the blocks above the diagonal are skipped, so it reads and writes far less
 * memory than a product, a mask, a softmax and a second product. Scores are scaled by {@code 1/√headDim}. It runs in
 * the calling thread's grad mode and is differentiable (training backpropagates through it), but its backward pass
 * is not: inside {@link #twiceDifferentiable}, causal attention is computed by PyTorch's composite "math"
 * implementation instead (products, mask, softmax), whose gradient can be differentiated again, as Hessian-vector
 * products need.
 */
final class ScriptedAttention {
    private static final String CLASS_NAME = "BonsaiAttention";
    private static final String SOURCE = """
            class BonsaiAttention(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              def forward(self: __torch__.BonsaiAttention,
                q: Tensor,
                k: Tensor,
                v: Tensor) -> Tensor:
                return torch.scaled_dot_product_attention(q, k, v, None, 0., True)
              def masked(self: __torch__.BonsaiAttention,
                q: Tensor,
                k: Tensor,
                v: Tensor,
                mask: Tensor) -> Tensor:
                return torch.scaled_dot_product_attention(q, k, v, mask, 0., False)
              def full(self: __torch__.BonsaiAttention,
                q: Tensor,
                k: Tensor,
                v: Tensor) -> Tensor:
                return torch.scaled_dot_product_attention(q, k, v, None, 0., False)
              def causal_math(self: __torch__.BonsaiAttention,
                q: Tensor,
                k: Tensor,
                v: Tensor) -> Tensor:
                out, weights = torch._scaled_dot_product_attention_math(q, k, v, None, 0., True)
                return out
            """;

    /** The name prefix by which DJL's {@code IValueUtils} picks a method other than forward. */
    private static final String METHOD_MARKER = "module_method:";

    private static volatile Helper helper;

    /** Set while the calling thread builds a graph whose gradient is differentiated again. */
    private static final ThreadLocal<Boolean> SECOND_ORDER = ThreadLocal.withInitial(() -> false);

    private ScriptedAttention() {
    }

    /**
     * {@code body}'s result, with the calling thread's causal attention computed by differentiable primitives while
     * it runs, so that gradients taken with their graph can be differentiated again.
     */
    static <T> T twiceDifferentiable(Supplier<T> body) {
        boolean before = SECOND_ORDER.get();
        SECOND_ORDER.set(true);
        try {
            return body.get();
        } finally {
            SECOND_ORDER.set(before);
        }
    }

    /**
     * Attention of {@code q [B, H, k, hd]} over {@code keys} and {@code values} ({@code [B, H, P, hd]}): causal
     * (query i sees keys up to i, for k = P) when {@code causal}; else with the additive {@code mask} ({@code [k, P]},
     * 0 or −∞), or over every key when {@code mask} is null. The result, {@code [B, H, k, hd]}, is attached to
     * {@code manager}.
     */
    static PtNDArray attend(PtNDManager manager, PtNDArray q, PtNDArray keys, PtNDArray values, PtNDArray mask,
            boolean causal) {
        Helper helper = helper();
        NDList inputs = new NDList(5);
        inputs.add(q);
        inputs.add(keys);
        inputs.add(values);
        PtNDArray method; // the marker of the method to run; null for forward, the fused causal one
        if (causal) {
            method = SECOND_ORDER.get() ? helper.causalMath() : null;
        } else if (mask == null) {
            method = helper.full();
        } else {
            inputs.add(mask);
            method = helper.masked();
        }
        if (method != null) {
            inputs.add(method);
        }
        NDList out = IValueUtils.forward(helper.module(), inputs, true);
        PtNDArray result = (PtNDArray) out.get(0);
        result.attach(manager);
        return result;
    }

    /**
     * The compiled module and the empty arrays whose names select its other methods (DJL's {@code IValueUtils}
     * calls the method named by an input called {@code module_method:<name>} instead of {@code forward}, in the
     * calling thread's grad mode; its by-name call runs in inference mode, whose results cannot be
     * backpropagated).
     */
    private record Helper(PtSymbolBlock module, PtNDArray full, PtNDArray masked, PtNDArray causalMath) {
    }

    private static Helper helper() {
        Helper loaded = helper;
        if (loaded != null) {
            return loaded;
        }
        synchronized (ScriptedAttention.class) {
            if (helper == null) {
                PtNDManager owner = (PtNDManager) Natives.load().newBaseManager(Device.cpu());
                byte[] archive = ScriptArchive.of(CLASS_NAME, SOURCE);
                try {
                    long handle = JniUtils.loadModuleHandle(new ByteArrayInputStream(archive), Device.cpu(), false,
                            false);
                    helper = new Helper(new PtSymbolBlock(owner, handle), marker(owner, "full"),
                            marker(owner, "masked"), marker(owner, "causal_math"));
                } catch (IOException | RuntimeException e) {
                    owner.close();
                    throw new BonsaiException("engine djl could not compile its TorchScript attention helper with"
                            + " PyTorch " + Natives.load().getVersion() + ": " + e.getMessage(), e);
                }
            }
            return helper;
        }
    }

    private static PtNDArray marker(PtNDManager owner, String method) {
        PtNDArray marker = JniUtils.createEmptyNdArray(owner, new Shape(0), DataType.FLOAT32, Device.cpu(),
                SparseFormat.DENSE);
        marker.setName(METHOD_MARKER + method);
        return marker;
    }
}
