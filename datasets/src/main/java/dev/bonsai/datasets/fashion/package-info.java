/** The Fashion-MNIST dataset: {@link dev.bonsai.datasets.fashion.FashionMnistProvider}, id {@code fashion-mnist}. */
package dev.bonsai.datasets.fashion;
