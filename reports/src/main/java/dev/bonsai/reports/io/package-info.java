/**
 * File and number helpers shared by the results store and the report writers: whole-file atomic writes
 * ({@link dev.bonsai.reports.io.AtomicFiles}), the one textual form of a {@code double} used in
 * {@code results.jsonl} and {@code results.csv} ({@link dev.bonsai.reports.io.NumberText}), and the base of the
 * writers whose report is one file ({@link dev.bonsai.reports.io.SingleFileReportWriter}).
 */
package dev.bonsai.reports.io;
