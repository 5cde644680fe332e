/**
 * Results: one {@link dev.bonsai.api.report.TrialRecord} per trial (with its provenance), and
 * {@link dev.bonsai.api.report.ReportWriter report writers} that render records only, so runs from several
 * machines merge into one comparison.
 */
package dev.bonsai.api.report;
