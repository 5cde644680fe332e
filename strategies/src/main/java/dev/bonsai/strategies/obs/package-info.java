/** Optimal brain surgeon, layerwise: saliencies and weight corrections from the layer-input Gram matrix. */
package dev.bonsai.strategies.obs;
