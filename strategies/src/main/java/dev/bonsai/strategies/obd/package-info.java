/** Optimal brain damage: saliency ½·h_kk·w_k² from a Hessian diagonal. */
package dev.bonsai.strategies.obd;
