package ${package};

import dev.bonsai.api.BonsaiException;
import dev.bonsai.api.Spi;
import dev.bonsai.api.engine.LayerInputProbe;
import dev.bonsai.api.model.ParameterSpec;
import dev.bonsai.api.model.Tensor;
import dev.bonsai.api.prune.PruningContext;
import dev.bonsai.api.prune.PruningStrategy;
import dev.bonsai.api.prune.Requirement;
import dev.bonsai.api.prune.Scores;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Input-weighted magnitude ({@code input-weighted-magnitude}): the score of weight W_ij (output i, input j) is
 * |W_ij| · ‖X_j‖₂^p, with ‖X_j‖₂ the L2 norm of input j of the weight's layer over the calibration batches. With
 * p = 0 it is magnitude pruning; with p = 1 it is the score of Wanda (Sun et al., "A Simple and Effective Pruning
 * Approach for Large Language Models", ICLR 2024).
 *
 * <p>Input j of a weight element follows from Bonsai's layouts: a dense weight is {@code [out, in]} and a conv2d
 * kernel {@code [out, C, kh, kw]}, both row-major, and the layer-input statistics of a parameter have one entry per
 * element of a row ({@code in}, or {@code C·kh·kw} in the same order), so element k of the weight takes input
 * {@code k % rowLength}.
 */
public final class InputWeightedMagnitudeStrategy implements PruningStrategy<InputWeightedMagnitudeOptions> {

    /** The public no-argument constructor {@link java.util.ServiceLoader} needs; the strategy is stateless. */
    public InputWeightedMagnitudeStrategy() {
    }

    @Override
    public String id() {
        return "input-weighted-magnitude";
    }

    @Override
    public String description() {
        return "|W|·‖X‖₂^p from calibration inputs of each layer (p = 0: magnitude, p = 1: Wanda)";
    }

    @Override
    public Class<InputWeightedMagnitudeOptions> optionsType() {
        return InputWeightedMagnitudeOptions.class;
    }

    @Override
    public int spiVersion() {
        return Spi.VERSION;
    }

    @Override
    public Set<Requirement> requirements(InputWeightedMagnitudeOptions options) {
        if (options.inputPower() == 0) {
            return Set.of(Requirement.WEIGHTS);
        }
        return Set.of(Requirement.WEIGHTS, Requirement.CALIBRATION_DATA, Requirement.LAYER_INPUT_STATISTICS);
    }

    @Override
    public Scores score(InputWeightedMagnitudeOptions options, PruningContext context) {
        double p = options.inputPower();
        Map<String, Tensor> squareSums = Map.of();
        if (p != 0) {
            if (context.calibration().isEmpty()) {
                throw new BonsaiException("strategy '" + id() + "' with input_power " + p + " needs calibration"
                        + " batches and got none; set prune.calibration to 1 or more, or input_power to 0");
            }
            // a host error naming the capability, when the engine cannot supply it, propagates as it is
            squareSums = context.capability(LayerInputProbe.class).inputSquareSums(context.calibration());
        }
        Map<String, float[]> scores = new LinkedHashMap<>();
        for (ParameterSpec parameter : context.prunable()) {
            float[] w = context.weights().get(parameter.name()).data();
            float[] s = new float[w.length];
            if (p == 0) {
                for (int k = 0; k < w.length; k++) {
                    s[k] = Math.abs(w[k]);
                }
            } else {
                float[] inputs = inputsOf(parameter, squareSums);
                for (int k = 0; k < w.length; k++) {
                    s[k] = (float) (Math.abs(w[k]) * Math.pow(inputs[k % inputs.length], p / 2));
                }
            }
            scores.put(parameter.name(), s);
        }
        return new Scores(scores);
    }

    /** The input sums of squares of {@code parameter}: one per element of a row of the weight. */
    private float[] inputsOf(ParameterSpec parameter, Map<String, Tensor> squareSums) {
        Tensor sums = squareSums.get(parameter.name());
        if (sums == null) {
            throw new BonsaiException("strategy '" + id() + "' found no layer-input statistics for '"
                    + parameter.name() + "' (it has them for " + squareSums.keySet() + "); exclude that parameter"
                    + " from pruning or set input_power to 0");
        }
        long rowLength = parameter.size() / parameter.shape().dim(0);
        if (sums.size() != rowLength) {
            throw new BonsaiException("strategy '" + id() + "' got " + sums.size() + " input statistics for '"
                    + parameter.name() + "' of shape " + parameter.shape() + ", which has rows of " + rowLength);
        }
        return sums.data();
    }
}
