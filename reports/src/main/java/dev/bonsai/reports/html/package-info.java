/**
 * The {@code html} report: {@code report.html}, one self-contained page with inline SVG plots drawn by a small SVG
 * writer of its own (no scripts, no external resources) and the report's tables.
 */
package dev.bonsai.reports.html;
