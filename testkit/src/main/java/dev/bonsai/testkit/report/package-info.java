/**
 * The contract every {@link dev.bonsai.api.report.ReportWriter} must meet, as an abstract JUnit 5 class a plugin's
 * tests extend, {@link dev.bonsai.testkit.report.ReportWriterContract}.
 */
package dev.bonsai.testkit.report;
