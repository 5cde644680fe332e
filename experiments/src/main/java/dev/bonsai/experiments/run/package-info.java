/**
 * Running experiments: the sweep of trials (seeds × strategies × sparsities), the dense baseline shared by a
 * seed's trials, the score → select → schedule → enforce loop of each trial, provenance, and the results store.
 * An interrupted run resumes: finished trials (by id, a hash of what determines them) are skipped.
 */
package dev.bonsai.experiments.run;
