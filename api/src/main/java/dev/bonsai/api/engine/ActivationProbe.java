package dev.bonsai.api.engine;

import dev.bonsai.api.Experimental;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.model.Tensor;
import java.util.Map;
import java.util.Set;

/** Outputs of named layers (FitNets hints, structure scores). */
@Experimental("capability probes may gain methods and options as engines supply native paths")
public interface ActivationProbe extends Capability {

    /** The outputs of the named layers for {@code batch}, in evaluation mode. */
    Map<String, Tensor> activations(Batch batch, Set<String> layerNames);
}
