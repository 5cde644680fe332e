/**
 * The contract every {@link dev.bonsai.api.engine.ComputeEngine} must meet, as an abstract JUnit 5 class,
 * {@link dev.bonsai.testkit.engine.EngineContract}, and its companion for every layer kind of the model spec,
 * {@link dev.bonsai.testkit.engine.LayerContract}, that an engine's tests subclass, plus the synthetic data
 * ({@link dev.bonsai.testkit.engine.SyntheticData}) and plain-Java reference computations
 * ({@link dev.bonsai.testkit.engine.HostReference}) it checks engines against.
 */
package dev.bonsai.testkit.engine;
