package dev.bonsai.engine.dl4j;

import java.util.List;
import java.util.Map;
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
    public String name() {
        return name;
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
        return backward(dy, Map.of());
    }

    /** {@link #backward(INDArray)} with extra gradients added at the outputs of named layers of the body. */
    INDArray backward(INDArray dy, Map<String, INDArray> extra) {
        return Dl4jModel.backward(body, dy, extra).add(dy);
    }
}
