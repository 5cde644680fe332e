/** The MNIST handwritten digits dataset: {@link dev.bonsai.datasets.mnist.MnistProvider}, id {@code mnist}. */
package dev.bonsai.datasets.mnist;
