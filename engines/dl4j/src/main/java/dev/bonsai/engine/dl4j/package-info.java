/**
 * The Deeplearning4j / ND4J compute engine: id {@code dl4j}, devices {@code cpu} and {@code cuda}.
 *
 * <p>Two-level: {@link dev.bonsai.engine.dl4j.Dl4jEngine} answers metadata and availability without loading native
 * libraries; {@link dev.bonsai.engine.dl4j.Dl4jEngine#create create} loads ND4J's backend ({@code nd4j-native} from
 * Maven Central, or {@code nd4j-cuda-11.6} with {@code -Pdl4j-cuda}) and returns a
 * {@link dev.bonsai.engine.dl4j.Dl4jRuntime}, which builds {@link dev.bonsai.engine.dl4j.Dl4jNetwork networks}.
 *
 * <p>A network compiles its model spec once into one {@code Op} per layer, each with a forward pass on ND4J arrays
 * and a hand-written backward pass (matrix products for dense layers, libnd4j's {@code conv2d_bp} and pooling
 * kernels, the textbook batch- and layer-norm derivatives, exact GELU). Neither DL4J's {@code MultiLayerNetwork} nor
 * SameDiff is used: the former computes gradients only in training mode (probes need them in evaluation mode) and
 * differs from PyTorch's batch norm and GELU, the latter measured several times slower per step here; owning the
 * passes keeps every engine's semantics identical, which the cross-engine equivalence test checks. Parameters are
 * kept in Bonsai's row-major layouts, so weights from Bonsai's generator load without conversion; the trainable ones
 * form one flat vector, so optimizer steps and mask enforcement are a few whole-vector operations.
 */
package dev.bonsai.engine.dl4j;
