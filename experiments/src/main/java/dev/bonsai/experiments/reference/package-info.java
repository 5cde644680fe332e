/**
 * The descriptor reference and JSON Schema, generated from the descriptor's records and the installed plugins'
 * options records, so the documentation cannot drift from the code ({@code bonsai reference}).
 */
package dev.bonsai.experiments.reference;
