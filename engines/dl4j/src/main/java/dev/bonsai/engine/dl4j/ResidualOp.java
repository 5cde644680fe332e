package dev.bonsai.engine.dl4j;

import java.util.List;
import java.util.function.BiConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code x + body(x)}. */
final class ResidualOp implements Op {
    private final String name;
    private final List<Op> body;

    ResidualOp(String name, List<Op> body) {
        this.name = name;
        this.body = List.copyOf(body);
    }

    @Override
    public INDArray forward(INDArray x, boolean training, BiConsumer<String, INDArray> tap) {
        INDArray h = x;
        for (Op op : body) {
            h = op.forward(h, training, tap);
        }
        INDArray y = h.add(x);
        if (tap != null) {
            tap.accept(name, y);
        }
        return y;
    }

    @Override
    public INDArray backward(INDArray dy) {
        INDArray g = dy;
        for (int i = body.size() - 1; i >= 0; i--) {
            g = body.get(i).backward(g);
        }
        return g.add(dy);
    }
}
