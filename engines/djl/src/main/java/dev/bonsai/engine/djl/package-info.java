/**
 * The DJL / PyTorch compute engine: id {@code djl}, devices {@code cpu} and {@code cuda}.
 *
 * <p>Two-level as in DJL: {@link dev.bonsai.engine.djl.DjlEngine} answers metadata and availability without
 * loading native libraries; {@link dev.bonsai.engine.djl.DjlEngine#create create} loads PyTorch (from the
 * {@code pytorch-native-cpu} jar on the class path, or from {@code PYTORCH_LIBRARY_PATH}; nothing is downloaded)
 * and returns a {@link dev.bonsai.engine.djl.DjlRuntime}, which builds {@link dev.bonsai.engine.djl.DjlNetwork
 * networks}. Networks keep their parameters on the device and train with fused PyTorch operators called through
 * DJL's {@code JniUtils}, enforcing pruning masks at every step. {@link dev.bonsai.engine.djl.Forward} compiles a
 * model spec's layers once into {@link dev.bonsai.engine.djl.Op}s (one record per layer kind) and runs them, with
 * an optional tap on every named layer's output for probes.
 */
package dev.bonsai.engine.djl;
