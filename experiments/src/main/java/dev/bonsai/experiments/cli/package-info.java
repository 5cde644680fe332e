/** The {@code bonsai} command line (picocli): run, validate, report, bench, datasets, plugins, engines, reference. */
package dev.bonsai.experiments.cli;
