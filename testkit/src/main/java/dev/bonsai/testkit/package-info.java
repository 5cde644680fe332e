/**
 * Bonsai's test kit: contract tests that plugins of every kind run by subclassing ({@code engine}, {@code strategy},
 * {@code dataset}, {@code report}), and helpers they share, such as {@link dev.bonsai.testkit.DefaultOptions}.
 */
package dev.bonsai.testkit;
