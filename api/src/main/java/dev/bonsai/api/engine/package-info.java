/**
 * Compute engines, two-level as in DJL: a cheap {@link dev.bonsai.api.engine.ComputeEngine} (id, rank, devices,
 * availability with a reason) whose {@link dev.bonsai.api.engine.ComputeEngine#create create} loads native
 * libraries lazily and returns an {@link dev.bonsai.api.engine.EngineRuntime}, which builds
 * {@link dev.bonsai.api.engine.Network networks} from model specs and weights.
 *
 * <p>What strategies need beyond weights (gradients, curvature, layer-input statistics, activations) is asked
 * for as a {@link dev.bonsai.api.engine.Capability}; an engine provides what it can natively
 * and the core supplies generic fallbacks for the rest.
 */
package dev.bonsai.api.engine;
