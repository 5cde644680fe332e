package dev.bonsai.strategies.obd;

import dev.bonsai.api.options.DefaultValue;
import dev.bonsai.api.options.Doc;
import dev.bonsai.api.options.Range;

/**
 * Options of optimal brain damage.
 *
 * @param curvature  how the Hessian diagonal is obtained
 * @param samples    label samples per calibration input (Gauss–Newton) or Rademacher probes (Hutchinson)
 * @param exactLimit the most prunable weights for which the exact diagonal is computed
 */
public record ObdOptions(
        @Doc("Hessian diagonal: exact, hutchinson, gauss-newton (LeCun's positive approximation) or empirical-fisher.")
        @DefaultValue("gauss-newton") Curvature curvature,
        @Doc("Label samples per calibration input (gauss-newton) or Rademacher probes in all (hutchinson); "
                + "empirical-fisher uses every calibration input once.") @DefaultValue("1")
        @Range(min = 1, max = 10000) int samples,
        @Doc("The most prunable weights for curvature 'exact' (one Hessian-vector product each).")
        @DefaultValue("4096") @Range(min = 1) int exactLimit) {
}
