/** SynFlow: data-free iterative synaptic flow scores. */
package dev.bonsai.strategies.synflow;
