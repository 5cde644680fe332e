/**
 * The core's generic probes (capabilities with fallbacks): what a strategy needs of a network
 * beyond its weights, computed from what any engine provides when the engine has no native path.
 *
 * <p>{@link dev.bonsai.strategies.probes.Capabilities#resolve Capabilities.resolve} answers the engine's native
 * capability when it has one, else the generic fallback built here from the capabilities the engine does provide,
 * else a {@link dev.bonsai.api.BonsaiException} naming what is missing:
 *
 * <table>
 * <caption>Generic fallbacks and what they are built from</caption>
 * <tr><th>capability</th><th>fallback</th><th>built from</th></tr>
 * <tr><td>{@link dev.bonsai.api.engine.GradientProbe}</td><td>none</td><td>-</td></tr>
 * <tr><td>{@link dev.bonsai.api.engine.HessianVectorProbe}</td>
 *     <td>{@link dev.bonsai.strategies.probes.FiniteDifferenceHessianVector}</td>
 *     <td>gradients at perturbed weights</td></tr>
 * <tr><td>{@link dev.bonsai.api.engine.SquaredGradientProbe}</td>
 *     <td>{@link dev.bonsai.strategies.probes.PerSampleSquaredGradients}</td>
 *     <td>the gradient of one sample at a time</td></tr>
 * <tr><td>{@link dev.bonsai.api.engine.CurvatureProbe}</td>
 *     <td>{@link dev.bonsai.strategies.probes.GenericCurvature}</td>
 *     <td>squared per-sample gradients and logits (Fisher, Gauss–Newton); Hessian-vector products (Hutchinson).
 *     The estimators are written here once; engines speed them up by supplying these primitives natively.</td></tr>
 * <tr><td>{@link dev.bonsai.api.engine.LayerInputProbe}</td>
 *     <td>{@link dev.bonsai.strategies.probes.ActivationLayerInputs}</td>
 *     <td>activations of the layers before dense and conv layers</td></tr>
 * <tr><td>{@link dev.bonsai.api.engine.LayerInputMagnitudeProbe}</td>
 *     <td>{@link dev.bonsai.strategies.probes.ActivationLayerInputs}</td>
 *     <td>the same activations</td></tr>
 * <tr><td>{@link dev.bonsai.api.engine.ActivationProbe}</td><td>none</td><td>-</td></tr>
 * </table>
 *
 * <p>The loss throughout is the cross-entropy of the network's logits, in evaluation mode (no dropout), exactly as
 * the engine's {@link dev.bonsai.api.engine.GradientProbe} defines it: the mean over a batch's labels (all positions
 * of all samples). Each class says which normalisation its estimate uses.
 */
package dev.bonsai.strategies.probes;
