/**
 * The {@code markdown} report: {@code report.md}, with the provenance of the results, the dense baseline and
 * tables of accuracy and achieved sparsity by strategy and target sparsity, as mean ± sample standard deviation
 * and 95% confidence interval over seeds, and paired comparisons of strategies.
 */
package dev.bonsai.reports.markdown;
