package dev.bonsai.reports.contract;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.report.ReportWriter;
import dev.bonsai.reports.csv.CsvReportWriter;
import dev.bonsai.reports.html.HtmlReportWriter;
import dev.bonsai.reports.markdown.MarkdownOptions;
import dev.bonsai.reports.markdown.MarkdownReportWriter;
import dev.bonsai.testkit.report.ReportWriterContract;
import org.junit.jupiter.api.Nested;

/** Bonsai's own report writers pass the contract that plugin authors' writers pass. */
class ReportWritersContractTest {

    @Nested
    class Markdown extends ReportWriterContract<MarkdownOptions> {
        @Override
        protected ReportWriter<MarkdownOptions> writer() {
            return new MarkdownReportWriter();
        }
    }

    @Nested
    class Html extends ReportWriterContract<NoOptions> {
        @Override
        protected ReportWriter<NoOptions> writer() {
            return new HtmlReportWriter();
        }
    }

    @Nested
    class Csv extends ReportWriterContract<NoOptions> {
        @Override
        protected ReportWriter<NoOptions> writer() {
            return new CsvReportWriter();
        }
    }
}
