package dev.bonsai.engine.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
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

/**
 * PyTorch's {@code torch.autograd.grad} for djl, which DJL 0.36 does not expose, through a small TorchScript module
 * compiled from source ({@link ScriptArchive}) once per JVM and kept for its lifetime (a few kilobytes).
 *
 * <p>Unlike {@code backward}, {@code autograd.grad} returns the gradients instead of accumulating them into the
 * parameters' gradient buffers. That matters for second derivatives: a gradient built with its graph
 * ({@code create_graph}) references the parameters, so storing it in a parameter's own buffer makes a
 * parameter → gradient → graph → parameter reference cycle that PyTorch's reference counting never frees. Returned
 * gradients are freed with their arrays, graph included, and the parameters' buffers are left untouched.
 *
 * <p>The methods run in the calling thread's grad mode; {@link #gradient} needs it on.
 */
final class ScriptedAutograd {
    private static final String CLASS_NAME = "BonsaiAutograd";
    private static final String SOURCE = """
            class BonsaiAutograd(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              def forward(self: __torch__.BonsaiAutograd,
                loss: Tensor,
                params: List[Tensor]) -> List[Tensor]:
                _0 = torch.autograd.grad([loss], params, None, None, True, True)
                return (self).filled(_0, params, )
              def product(self: __torch__.BonsaiAutograd,
                gradients: List[Tensor],
                vectors: List[Tensor],
                params: List[Tensor]) -> List[Tensor]:
                outputs = annotate(List[Tensor], [])
                directions = annotate(List[Optional[Tensor]], [])
                for i in range(torch.len(gradients)):
                  if ops.prim.requires_grad(gradients[i]):
                    _1 = torch.append(outputs, gradients[i])
                    _2 = torch.append(directions, vectors[i])
                  else:
                    pass
                products = annotate(List[Optional[Tensor]], [])
                if torch.eq(torch.len(outputs), 0):
                  for i in range(torch.len(params)):
                    _3 = torch.append(products, None)
                else:
                  products = torch.autograd.grad(outputs, params, directions, True, False, True)
                return (self).filled(products, params, )
              def filled(self: __torch__.BonsaiAutograd,
                grads: List[Optional[Tensor]],
                params: List[Tensor]) -> List[Tensor]:
                out = annotate(List[Tensor], [])
                for i in range(torch.len(params)):
                  g = grads[i]
                  if torch.__is__(g, None):
                    _4 = torch.append(out, torch.zeros_like(params[i]))
                  else:
                    _5 = torch.append(out, unchecked_cast(Tensor, g))
                return out
            """;
    /** The name DJL's {@code IValueUtils} reads as "call this method instead of forward". */
    private static final String METHOD_MARKER = "module_method:";

    private static volatile PtSymbolBlock module;

    private ScriptedAutograd() {
    }

    /**
     * The gradient of the scalar {@code loss} with respect to each of {@code params} (leaves that require gradients),
     * with its graph so that it can be differentiated again; zeros for a parameter {@code loss} does not depend on.
     * The arrays are attached to {@code loss}'s manager.
     */
    static PtNDArray[] gradient(PtNDArray loss, PtNDArray[] params) {
        NDList inputs = new NDList(params.length + 1);
        inputs.add(loss);
        return run(inputs, params);
    }

    /**
     * The Hessian-vector product {@code Σ_i J(gradients[i])ᵀ vectors[i]} with respect to each of {@code params}: with
     * {@code gradients[i]} the gradient of a loss for some parameter and {@code vectors[i]} a direction shaped like
     * it, this is {@code H v}, by the symmetry of the Hessian. Gradients without a graph (constant in the parameters)
     * contribute nothing. The graph is kept, for more products; it goes when the gradients are closed. The arrays are
     * attached to {@code gradients[0]}'s manager.
     */
    static PtNDArray[] product(PtNDArray[] gradients, PtNDArray[] vectors, PtNDArray[] params) {
        if (gradients.length == 0 || gradients.length != vectors.length) {
            throw new IllegalArgumentException("a Hessian-vector product needs one direction per gradient and at least"
                    + " one, got " + gradients.length + " gradients and " + vectors.length + " directions");
        }
        NDList inputs = new NDList(2 * gradients.length + params.length + 1);
        for (PtNDArray g : gradients) {
            inputs.add(named(g, "gradients[]"));
        }
        for (PtNDArray v : vectors) {
            inputs.add(named(v, "vectors[]"));
        }
        PtNDArray marker = JniUtils.createEmptyNdArray(gradients[0].getManager(), new Shape(0), DataType.FLOAT32,
                Device.cpu(), SparseFormat.DENSE);
        try {
            inputs.add(named(marker, METHOD_MARKER + "product"));
            return run(inputs, params);
        } finally {
            marker.close();
        }
    }

    /** Runs the method {@code inputs} name, with {@code params} appended as the last (list) argument. */
    private static PtNDArray[] run(NDList inputs, PtNDArray[] params) {
        String[] names = new String[params.length];
        for (int i = 0; i < params.length; i++) {
            names[i] = params[i].getName();
            inputs.add(named(params[i], "params[]"));
        }
        try {
            NDList out = IValueUtils.forward(module(), inputs, true);
            if (out.size() != params.length) {
                throw new IllegalStateException("the autograd script returned " + out.size() + " arrays for "
                        + params.length + " parameters");
            }
            PtNDArray[] result = new PtNDArray[params.length];
            for (int i = 0; i < result.length; i++) {
                result[i] = (PtNDArray) out.get(i);
            }
            return result;
        } finally {
            for (int i = 0; i < params.length; i++) {
                params[i].setName(names[i]);
            }
        }
    }

    private static NDArray named(PtNDArray array, String name) {
        array.setName(name);
        return array;
    }

    private static PtSymbolBlock module() {
        PtSymbolBlock loaded = module;
        if (loaded != null) {
            return loaded;
        }
        synchronized (ScriptedAutograd.class) {
            if (module == null) {
                PtNDManager owner = (PtNDManager) Natives.load().newBaseManager(Device.cpu());
                byte[] archive = ScriptArchive.of(CLASS_NAME, SOURCE);
                try {
                    long handle = JniUtils.loadModuleHandle(new ByteArrayInputStream(archive), Device.cpu(), false,
                            false);
                    module = new PtSymbolBlock(owner, handle);
                } catch (IOException | RuntimeException e) {
                    owner.close();
                    throw new BonsaiException("engine djl could not compile its TorchScript autograd helper with"
                            + " PyTorch " + Natives.load().getVersion() + ": " + e.getMessage()
                            + ". Second derivatives (Hessian-vector products) need it; the generic finite-difference"
                            + " probes do not", e);
                }
            }
            return module;
        }
    }
}
