package dev.bonsai.reports.html;

/**
 * The report's style sheet: system fonts only, a light and a dark scheme (following the reader's preference), a
 * print layout, and the plots' colours. The series palette is Okabe and Ito's colour-blind-safe set (blue, orange,
 * bluish green, vermillion, reddish purple, sky blue, yellow, black/white), with the blue lightened in the dark
 * scheme.
 */
final class Style {
    private Style() {
    }

    static final String CSS = """
            :root {
              --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --grid: #e3e6ea; --frame: #aab1b9;
              --panel: #f6f8fa; --border: #d1d9e0; --accent: #0b6bcb; --good: #e8f3ec;
              --s0: #0072B2; --s1: #E69F00; --s2: #009E73; --s3: #D55E00;
              --s4: #CC79A7; --s5: #56B4E9; --s6: #C9B800; --s7: #000000;
              color-scheme: light dark;
            }
            @media (prefers-color-scheme: dark) {
              :root {
                --bg: #0f1216; --fg: #e6e9ec; --muted: #9aa4ae; --grid: #262c33; --frame: #4b545e;
                --panel: #161b21; --border: #2f3741; --accent: #6cb4ff; --good: #15291d;
                --s0: #3D9BE9; --s5: #8fd0f5; --s6: #F0E442; --s7: #ffffff;
              }
            }
            @media print {
              :root {
                --bg: #ffffff; --fg: #000000; --muted: #444444; --grid: #dddddd; --frame: #888888;
                --panel: #ffffff; --border: #bbbbbb; --good: #eeeeee;
                --s0: #0072B2; --s5: #56B4E9; --s6: #C9B800; --s7: #000000;
              }
              nav { display: none; }
              figure, table { break-inside: avoid; }
            }
            * { box-sizing: border-box; }
            html { background: var(--bg); color: var(--fg); }
            body {
              margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
                sans-serif;
              background: var(--bg); color: var(--fg);
            }
            main { max-width: 1160px; margin: 0 auto; padding: 24px 20px 48px; }
            h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
            h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; padding-bottom: .25rem; border-bottom: 1px solid var(--border); }
            h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
            p.lede { color: var(--muted); margin-top: 0; }
            a { color: var(--accent); }
            nav { display: flex; gap: 1rem; flex-wrap: wrap; margin: .4rem 0 1rem; }
            code { font: .9em ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
              background: var(--panel); border: 1px solid var(--border); border-radius: 4px; padding: 0 .25em;
              overflow-wrap: anywhere; }
            dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
            dt { font-weight: 600; }
            dd { margin: 0; }
            figure { margin: 1rem 0 1.6rem; padding: 12px 12px 8px; background: var(--panel);
              border: 1px solid var(--border); border-radius: 8px; }
            figure h3 { margin: 0 0 .4rem; }
            figcaption { color: var(--muted); font-size: .88rem; margin-top: .3rem; }
            svg.chart { display: block; width: 100%; height: auto; font-size: 12px; }
            svg.chart text { fill: var(--fg); }
            svg.chart .tick { fill: var(--muted); }
            svg.chart .tick.sub { font-size: 11px; }
            svg.chart .axis-title { font-size: 12.5px; font-weight: 600; }
            svg.chart .grid { stroke: var(--grid); stroke-width: 1; }
            svg.chart .axis { stroke: var(--frame); stroke-width: 1; }
            svg.chart .plot-frame { fill: none; stroke: var(--frame); stroke-width: 1; }
            svg.chart .reference { stroke: var(--muted); stroke-width: 1.5; stroke-dasharray: 6 4; }
            svg.chart .series .line { fill: none; stroke: var(--c); stroke-width: 2.2; stroke-linejoin: round; }
            svg.chart .series .band { fill: var(--c); fill-opacity: .16; stroke: none; }
            svg.chart .series .marker { fill: var(--c); stroke: var(--panel); stroke-width: 1.2; }
            svg.chart .series .whisker { fill: none; stroke: var(--c); stroke-width: 1.4; }
            svg.chart .front { fill: none; stroke: var(--fg); stroke-width: 1.4; stroke-dasharray: 4 3; opacity: .75; }
            svg.chart .front-ring { fill: none; stroke: var(--fg); stroke-width: 1.4; }
            svg.chart .segment { fill: var(--c); stroke: var(--panel); stroke-width: 1; }
            svg.chart .bar-label { font-size: 12px; }
            svg.chart .value { fill: var(--muted); font-size: 11.5px; }
            .s0 { --c: var(--s0); } .s1 { --c: var(--s1); } .s2 { --c: var(--s2); } .s3 { --c: var(--s3); }
            .s4 { --c: var(--s4); } .s5 { --c: var(--s5); } .s6 { --c: var(--s6); } .s7 { --c: var(--s7); }
            .scroll { overflow-x: auto; margin: .4rem 0 1.2rem; }
            table { border-collapse: collapse; font-size: .9rem; font-variant-numeric: tabular-nums; }
            th, td { padding: .3rem .6rem; border-bottom: 1px solid var(--border); text-align: left;
              vertical-align: top; }
            thead th { border-bottom: 2px solid var(--frame); white-space: nowrap; }
            tbody th { font-weight: 600; }
            .num { text-align: right; white-space: nowrap; }
            td small { color: var(--muted); }
            tr.significant td { background: var(--good); font-weight: 600; }
            ul { padding-left: 1.2rem; }
            """;
}
