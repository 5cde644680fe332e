package dev.bonsai.models.pretrained.huggingface;

import dev.bonsai.api.model.Shape;
import dev.bonsai.api.model.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * One tensor of a Hugging Face checkpoint and the Bonsai parameters it holds: the same tensor under another name, a
 * transposed one (GPT-2's Conv1D weights are stored {@code [in, out]}), or several stacked (GPT-2's fused
 * {@code c_attn} holds the query, key and value projections).
 *
 * @param name         the checkpoint's tensor name
 * @param shape        its shape in the checkpoint
 * @param parameters   the Bonsai parameter names it holds, in stacking order
 * @param shapes       their shapes
 * @param transposed   whether the checkpoint stores the transpose of the (stacked) Bonsai weights
 */
public record HfTensor(String name, Shape shape, List<String> parameters, List<Shape> shapes, boolean transposed) {

    /** Copies the lists. */
    public HfTensor {
        parameters = List.copyOf(parameters);
        shapes = List.copyOf(shapes);
    }

    /** A tensor that is one Bonsai parameter, renamed. */
    static HfTensor renamed(String name, String parameter, Shape shape) {
        return new HfTensor(name, shape, List.of(parameter), List.of(shape), false);
    }

    /** A tensor stored as the transpose of the Bonsai parameters stacked along their first axis. */
    static HfTensor stacked(String name, List<String> parameters, List<Shape> shapes, boolean transposed) {
        int rows = 0;
        for (Shape s : shapes) {
            rows += s.dim(0);
        }
        Shape stacked = shapes.get(0).rank() == 1 ? Shape.of(rows) : Shape.of(rows, shapes.get(0).dim(1));
        Shape stored = transposed ? Shape.of(stacked.dim(1), stacked.dim(0)) : stacked;
        return new HfTensor(name, stored, parameters, shapes, transposed);
    }

    /** The Bonsai parameters held in {@code stored} (a tensor of {@link #shape()}). */
    public List<Tensor> toParameters(Tensor stored) {
        float[] rowMajor = transposed ? transpose(stored.data(), shape.dim(0), shape.dim(1)) : stored.data();
        if (parameters.size() == 1) {
            return List.of(new Tensor(shapes.get(0), rowMajor));
        }
        List<Tensor> out = new ArrayList<>();
        int at = 0;
        for (Shape s : shapes) {
            float[] part = new float[Math.toIntExact(s.size())];
            System.arraycopy(rowMajor, at, part, 0, part.length);
            at += part.length;
            out.add(new Tensor(s, part));
        }
        return out;
    }

    /** The stored tensor for {@code values}, the Bonsai parameters in {@link #parameters()} order. */
    public Tensor fromParameters(List<Tensor> values) {
        float[] rowMajor;
        if (values.size() == 1) {
            rowMajor = values.get(0).data();
        } else {
            rowMajor = new float[Math.toIntExact(shape.size())];
            int at = 0;
            for (Tensor t : values) {
                System.arraycopy(t.data(), 0, rowMajor, at, t.size());
                at += t.size();
            }
        }
        if (transposed) {
            // the stacked Bonsai weights are [shape(1), shape(0)]
            rowMajor = transpose(rowMajor, shape.dim(1), shape.dim(0));
        }
        return new Tensor(shape, rowMajor);
    }

    /** The transpose of the row-major {@code [rows, cols]} matrix {@code m}. */
    static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = m[base + c];
            }
        }
        return t;
    }
}
