/**
 * Bonsai's built-in model zoo: engine-neutral {@link dev.bonsai.api.model.ModelSpec}s by name.
 *
 * <p>Every model here is a {@link dev.bonsai.api.model.ModelProvider} discovered through
 * {@link java.util.ServiceLoader}; it takes its input shape and number of classes from the
 * {@link dev.bonsai.api.data.DatasetInfo} of the dataset it will be trained on, so the same descriptor works on
 * MNIST ({@code [1, 28, 28]}, 10 classes) and CIFAR-10 ({@code [3, 32, 32]}, 10 classes) alike.
 *
 * <ul>
 *   <li>{@link dev.bonsai.models.LeNet300100} ({@code lenet-300-100}) — the fully connected LeNet of
 *       LeCun et al. (1998), the standard testbed of the pruning literature since Han et al. (2015).</li>
 *   <li>{@link dev.bonsai.models.Mlp} ({@code mlp}) — a multilayer perceptron of any widths, activation and
 *       dropout, for example the 1200-1200 teacher of Hinton et al. (2015).</li>
 *   <li>{@link dev.bonsai.models.LeNet5} ({@code lenet-5}) — the convolutional LeNet-5 (ReLU, max pooling).</li>
 *   <li>{@link dev.bonsai.models.Cnn} ({@code cnn}) — a small VGG-style CNN with batch norm for CIFAR-10.</li>
 *   <li>{@link dev.bonsai.models.CharGpt} ({@code char-gpt}) — a GPT-style character language model whose input is
 *       {@code [T]} token ids and whose output is {@code [T, vocab]}.</li>
 * </ul>
 *
 * <p>Layer and parameter names are stable API: strategies, masks and result records refer to parameters as
 * {@code <layer>.<kind>} (for example {@code fc1.weight}), and Bonsai's seeded initial weights are derived from
 * those names.
 */
package dev.bonsai.models;
