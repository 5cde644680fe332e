package dev.bonsai.engine.dl4j;

import dev.bonsai.api.BonsaiException;
import java.util.function.BiConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A token embedding: float token ids {@code [batch, T]} to the rows of the table {@code [vocab, dim]},
 * {@code [batch, T, dim]}. The rows are gathered by {@code pullRows}; the backward pass adds each position's
 * gradient into its token's row on the host (a table's gradient is small, and ND4J has no in-place scatter-add that
 * accumulates repeated ids).
 */
final class EmbeddingOp implements Op {
    private final String name;
    private final int vocab;
    private final int dim;
    private final INDArray table;
    private final INDArray tableGrad;
    private int[] ids;
    private long[] idShape;

    EmbeddingOp(String name, int vocab, int dim, INDArray table, INDArray tableGrad) {
        this.name = name;
        this.vocab = vocab;
        this.dim = dim;
        this.table = table;
        this.tableGrad = tableGrad;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public INDArray forward(INDArray x, boolean training, BiConsumer<String, INDArray> tap) {
        idShape = x.shape();
        float[] values = Dl4jParameters.hostFloats(x);
        ids = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            int id = (int) values[i];
            if (id != values[i] || id < 0 || id >= vocab) {
                throw new BonsaiException("embedding '" + name + "' got token id " + values[i] + " at position " + i
                        + " of its input; ids must be whole numbers in [0, " + vocab + ")");
            }
            ids[i] = id;
        }
        INDArray rows = Nd4j.pullRows(table, 1, ids);
        long[] shape = new long[idShape.length + 1];
        System.arraycopy(idShape, 0, shape, 0, idShape.length);
        shape[idShape.length] = dim;
        INDArray result = rows.reshape('c', shape);
        if (tap != null) {
            tap.accept(name, result);
        }
        return result;
    }

    @Override
    public INDArray backward(INDArray dy) {
        if (tableGrad != null) {
            float[] g = Dl4jParameters.hostFloats(dy);
            float[] sum = new float[vocab * dim];
            for (int i = 0; i < ids.length; i++) {
                int row = ids[i] * dim;
                for (int d = 0; d < dim; d++) {
                    sum[row + d] += g[i * dim + d];
                }
            }
            tableGrad.addi(Nd4j.create(sum, new long[] {vocab, dim}, 'c'));
        }
        return Nd4j.zeros(dy.dataType(), idShape); // token ids have no gradient
    }
}
