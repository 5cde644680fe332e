/**
 * The results store: {@code OUT/results.jsonl}, one {@link dev.bonsai.api.report.TrialRecord} per line.
 *
 * <p>{@link dev.bonsai.reports.store.ResultsStore} appends records atomically (a crash never leaves a half line
 * that breaks readers), reads them back skipping and reporting {@link dev.bonsai.reports.store.DamagedLine damaged
 * lines}, tells the runner which trials are finished so an interrupted sweep resumes, and converts records to and
 * from JSON. The JSON field names are a public contract; see {@link dev.bonsai.reports.store.ResultsStore}.
 */
package dev.bonsai.reports.store;
