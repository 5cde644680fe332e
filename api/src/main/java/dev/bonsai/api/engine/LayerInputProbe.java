package dev.bonsai.api.engine;

import dev.bonsai.api.Experimental;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.model.Tensor;
import java.util.List;
import java.util.Map;

/** Statistics of the inputs of dense and conv layers (Wanda's ‖X‖₂, layerwise OBS's XᵀX). */
@Experimental("capability probes may gain methods and options as engines supply native paths")
public interface LayerInputProbe extends Capability {

    /** Per-input-feature sums of squares, {@code [in]}, by weight parameter name. */
    Map<String, Tensor> inputSquareSums(List<Batch> batches);

    /** The Gram matrix XᵀX, {@code [in, in]}, of the named weight parameters' inputs. */
    Map<String, Tensor> inputGram(List<Batch> batches, List<String> weightNames);
}
