/**
 * The {@code csv} report: {@code results.csv}, one row per trial record, for spreadsheets and data-frame tools.
 */
package dev.bonsai.reports.csv;
