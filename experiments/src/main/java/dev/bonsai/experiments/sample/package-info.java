/** Text samples from trained language models, for {@code bonsai sample} and for runs' {@code samples.md}. */
package dev.bonsai.experiments.sample;
