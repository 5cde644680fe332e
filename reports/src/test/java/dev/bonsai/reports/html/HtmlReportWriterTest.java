package dev.bonsai.reports.html;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bonsai.api.NoOptions;
import dev.bonsai.api.report.TrialRecord;
import dev.bonsai.reports.model.Curves;
import dev.bonsai.reports.Records;
import dev.bonsai.reports.markdown.MarkdownOptions;
import dev.bonsai.reports.markdown.MarkdownReportWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportWriterTest {
    @TempDir
    Path dir;

    /**
     * A sweep like the pruning comparison example: three strategies × five sparsities × three seeds on two engines
     * (different machines), one failed trial. Written to {@code -Dbonsai.html.sample=DIR} too, for looking at.
     */
    static List<TrialRecord> sweep() {
        SplittableRandom random = new SplittableRandom(11);
        List<TrialRecord> records = new ArrayList<>();
        double[] sparsities = {0.5, 0.8, 0.9, 0.95, 0.98};
        String[][] engines = {{"djl", "cpu", "AMD EPYC 7B13 × 16", ""}, {"dl4j", "cuda", "AMD EPYC 7B13 × 16",
                "NVIDIA H200"}};
        int id = 0;
        for (String[] engine : engines) {
            for (String strategy : List.of("obd", "magnitude", "random")) {
                double penalty = switch (strategy) {
                    case "obd" -> 0.3;
                    case "magnitude" -> 0.6;
                    default -> 3.0;
                };
                for (double s : sparsities) {
                    for (int seed = 1; seed <= 3; seed++) {
                        double dense = 0.981 + 0.002 * random.nextDouble();
                        double loss = penalty * Math.pow(1 / (1 - s), 0.9) / 100 * (0.8 + 0.4 * random.nextDouble());
                        double finetuned = Math.max(0.1, dense - loss * 0.4 - 0.001 * random.nextDouble());
                        double pruned = Math.max(0.1, dense - loss * 3);
                        Map<String, Double> metrics = new java.util.LinkedHashMap<>(Records.accuracies(dense, pruned,
                                finetuned));
                        // a global scope spreads the target unevenly: the first layer most, the output layer least
                        metrics.put("sparsity.fc1.weight", Math.min(0.999, s * 1.03));
                        metrics.put("sparsity.fc2.weight", s * 0.93);
                        metrics.put("sparsity.fc3.weight", s * 0.6);
                        Curves.put(metrics, Curves.DENSE_TRAIN_LOSS, List.of(0.4, 0.15, 0.1, 0.08));
                        Curves.put(metrics, Curves.FINETUNE_LOSS, List.of(0.08 + loss, 0.08 + loss / 3));
                        TrialRecord r = Records.ok("t" + id++, strategy, s, seed, metrics);
                        records.add(on(r, engine, strategy));
                    }
                }
            }
        }
        records.add(Records.failed("f1", "obd", 0.98, 4, "CUDA out of memory <while> pruning & fine-tuning",
                Map.of()));
        return records;
    }

    private static TrialRecord on(TrialRecord r, String[] engine, String strategy) {
        double scale = engine[1].equals("cuda") ? 0.2 : 1;
        Map<String, Double> timings = Map.of("load", 0.8, "train", 30 * scale, "prune",
                (strategy.equals("obd") ? 6 : 0.3) * scale, "finetune", 8 * scale, "evaluate", 0.6 * scale, "total",
                45 * scale);
        Map<String, String> provenance = new java.util.HashMap<>(r.provenance());
        provenance.put("cpu", engine[2]);
        if (!engine[3].isEmpty()) {
            provenance.put("gpu", engine[3]);
        }
        return new TrialRecord(r.experiment(), r.trialId() + engine[0], r.status(), r.error(), r.model(),
                r.dataset(), r.strategy(), r.scope(), r.structure(), r.schedule(), r.targetSparsity(),
                r.achievedSparsity(), r.totalParameters(), r.nonzeroParameters(), r.seed(), engine[0], engine[1],
                r.metrics(), timings, provenance);
    }

    @Test
    void languageModelTablesShowLossPerplexityAndBitsPerCharacterUnscaled() {
        java.util.Map<String, Double> m = new java.util.LinkedHashMap<>(Records.accuracies(0.5, 0.4, 0.45));
        m.put("test_loss", 1.25);
        m.put("test_perplexity", Math.exp(1.25));
        m.put("test_bits_per_character", 1.25 / Math.log(2));
        String html = HtmlReportWriter.render(List.of(Records.ok("lm", "magnitude", 0.5, 1, m)));

        assertThat(html).contains("Language model: final test loss (nats per token)", "1.25 ± ",
                "Language model: final test perplexity", "3.49 ± ", "Language model: final test bits per character",
                "1.80 ± ");
        assertThat(HtmlReportWriter.render(List.of(Records.ok("c", "magnitude", 0.5, 1,
                Records.accuracies(0.5, 0.4, 0.45))))).doesNotContain("Language model");
    }

    @Test
    void writesOneSelfContainedPageWithThePlotsAndTables() throws Exception {
        List<TrialRecord> records = sweep();
        List<Path> written = new HtmlReportWriter().write(records, dir, new NoOptions());
        assertThat(written).containsExactly(dir.resolve("report.html"));
        String html = Files.readString(written.get(0));
        String sample = System.getProperty("bonsai.html.sample");
        if (sample != null) {
            new HtmlReportWriter().write(records, Path.of(sample), new NoOptions());
            new MarkdownReportWriter().write(records, Path.of(sample), MarkdownOptions.DEFAULTS);
        }

        assertThat(html).startsWith("<!DOCTYPE html>");
        // self-contained: no scripts, no external resources
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", ""))
                .doesNotContain("<script", "<link", "@import", "url(", "src=", "http:", "https:", "<img", "@font-face");
        assertThat(count(html, "<svg ")).isEqualTo(6);
        assertThat(html).contains("Test accuracy after fine-tuning vs sparsity", "Test accuracy vs non-zero parameters",
                "Mean time per phase and trial", "Pareto front", "Paired comparisons of strategies",
                "Sparsity per layer at 98%", "Training loss per epoch", "epochs 1–4 train the dense model");
        // per-layer sparsity: the mean over seeds of each parameter's sparsity at the highest target
        assertThat(html).contains("fc3.weight · obd · djl · cpu (n=3): 58.8%", "fc1.weight · random · dl4j · cuda (n=3): 99.9%");
        // the engines side by side: a series per strategy and engine, a bar per engine/device, machine and strategy
        assertThat(html).contains("obd · djl · cpu", "obd · dl4j · cuda", "dl4j/cuda · NVIDIA H200 · obd");
        // escaping of recorded text
        assertThat(html).contains("CUDA out of memory &lt;while&gt; pruning &amp; fine-tuning");
        // every SVG is well-formed XML
        Matcher svg = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL).matcher(html);
        while (svg.find()) {
            DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new java.io.ByteArrayInputStream(svg.group().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    @Test
    void layersAreOrderedByNameWithNumbersCountedNotSpelt() {
        List<String> names = new ArrayList<>(List.of("head.weight", "block10.attn.weight", "block2.mlp.weight",
                "block2.attn.weight", "embed.weight"));
        names.sort(HtmlPlots::byNameThenNumber);
        assertThat(names).containsExactly("block2.attn.weight", "block2.mlp.weight", "block10.attn.weight",
                "embed.weight", "head.weight");
    }

    @Test
    void theParetoFrontKeepsThePointsNoOtherBeats() {
        Charts.Point a = new Charts.Point(10, 90, Double.NaN, Double.NaN, "a");
        Charts.Point b = new Charts.Point(20, 95, Double.NaN, Double.NaN, "b");
        Charts.Point c = new Charts.Point(30, 94, Double.NaN, Double.NaN, "c"); // beaten by b
        Charts.Point d = new Charts.Point(40, 97, Double.NaN, Double.NaN, "d");
        Charts.Point e = new Charts.Point(10, 80, Double.NaN, Double.NaN, "e"); // beaten by a
        assertThat(Charts.front(List.of(c, e, d, b, a))).containsExactly(a, b, d);
    }

    @Test
    void scalesMapAndTick() {
        Scale linear = Scale.niceLinear(93.3, 97.9, 300, 0); // a fifth of the range is 0.92: steps of 1
        assertThat(linear.lower()).isEqualTo(93.0);
        assertThat(linear.upper()).isEqualTo(98.0);
        assertThat(linear.map(93)).isEqualTo(300.0);
        assertThat(linear.map(98)).isEqualTo(0.0);
        assertThat(linear.linearTicks("")).extracting(Scale.Tick::label)
                .containsExactly("93", "94", "95", "96", "97", "98");
        assertThat(Scale.niceLinear(0.12, 0.61, 0, 1).linearTicks("%")).extracting(Scale.Tick::label)
                .containsExactly("0.1%", "0.2%", "0.3%", "0.4%", "0.5%", "0.6%", "0.7%");
        Scale log = new Scale(1, 100, 0, 200, true);
        assertThat(log.map(10)).isCloseTo(100.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(new Scale(5_000, 300_000, 0, 100, true).logTicks(Scale::compact)).extracting(Scale.Tick::label)
                .containsExactly("5k", "10k", "20k", "50k", "100k", "200k");
        assertThat(HtmlPlots.times(HtmlPlots.compression(0.95))).isEqualTo("20×");
        assertThat(HtmlPlots.times(HtmlPlots.compression(0.7))).isEqualTo("3.3×");
        assertThat(Svg.num(1.006)).isEqualTo("1.01");
        assertThat(Svg.num(2.5)).isEqualTo("2.5");
        assertThat(Svg.num(2.0)).isEqualTo("2");
    }

    /** Small and odd inputs: one trial, close sparsities (a linear axis), only failures, missing metrics. */
    @Test
    void edgeCasesGiveWellFormedPlots() throws Exception {
        TrialRecord one = Records.ok("a", "obd", 0.5, 1, Records.accuracies(0.98, 0.9, 0.97));
        TrialRecord close = Records.ok("b", "obd", 0.6, 1, Records.accuracies(0.98, 0.85, 0.96));
        TrialRecord dense = Records.ok("c", "magnitude", 0.0, 1, Records.accuracies(0.98, 0.98, 0.98));
        TrialRecord bare = Records.ok("d", "random", 0.9, 2, Map.of());
        TrialRecord failed = Records.failed("e", "obd", 0.9, 1, "boom", Map.of());
        for (List<TrialRecord> records : List.of(List.of(one), List.of(one, close), List.of(one, close, dense),
                List.of(failed), List.of(bare), List.of(bare, failed, one))) {
            String html = HtmlReportWriter.render(records);
            assertThat(html).as(records.toString()).endsWith("</html>\n");
            Matcher svg = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL).matcher(html);
            while (svg.find()) {
                DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new java.io.ByteArrayInputStream(
                        svg.group().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
        String linear = HtmlReportWriter.render(List.of(one, close));
        assertThat(linear).contains("target sparsity (%)").doesNotContain("log scale</text>");
        assertThat(HtmlReportWriter.render(List.of(failed))).contains("Failed trials").doesNotContain("<svg ");
    }

    @Test
    void valuesThatAreNotFiniteShowInTheTablesAndStayOutOfThePlots() {
        TrialRecord infinite = Records.ok("a", "obd", 0.5, 1, Records.accuracies(Double.POSITIVE_INFINITY, 0.9, 0.97));
        TrialRecord nan = Records.ok("b", "obd", 0.5, 2, Records.accuracies(0.98, 0.9, Double.NaN));
        String html = HtmlReportWriter.render(List.of(infinite, nan));

        assertThat(html).endsWith("</html>\n");
        // the dense baseline has seed 2's value only; the final accuracy's cell counts the NaN, so its mean is NaN
        assertThat(html).contains("<td class=\"num\">98.00 ± –<br><small>n=1</small></td>");
        assertThat(html).contains("<td class=\"num\">NaN ± NaN<br><small>");
    }

    @Test
    void noRecordsStillGiveAPage() {
        String html = HtmlReportWriter.render(List.of());
        assertThat(html).contains("No trial records.").endsWith("</html>\n");
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
