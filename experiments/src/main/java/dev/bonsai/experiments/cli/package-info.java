/** The {@code bonsai} command line (picocli): run, validate, plugins, engines. */
package dev.bonsai.experiments.cli;
