/**
 * The contract every {@link dev.bonsai.api.prune.PruningStrategy} must meet, as an abstract JUnit 5 class a
 * plugin's tests extend, {@link dev.bonsai.testkit.strategy.PruningStrategyContract}, with the synthetic pruning
 * context it scores in ({@link dev.bonsai.testkit.strategy.StrategyTestContext}: a small dense model, seeded
 * weights and calibration data, deterministic stand-in probes that refuse undeclared requests) and options made
 * from their {@link dev.bonsai.api.options.DefaultValue}s ({@link dev.bonsai.testkit.DefaultOptions}).
 */
package dev.bonsai.testkit.strategy;
