/**
 * The CIFAR-10 dataset: {@link dev.bonsai.datasets.cifar.Cifar10Provider}, id {@code cifar-10}, read from the
 * verified official archive.
 */
package dev.bonsai.datasets.cifar;
