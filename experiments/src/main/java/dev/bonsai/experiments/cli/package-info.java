/** The {@code bonsai} command line (picocli): run, validate, report, bench, datasets, plugins, engines. */
package dev.bonsai.experiments.cli;
