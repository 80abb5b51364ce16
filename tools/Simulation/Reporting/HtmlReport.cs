using System.Globalization;
using System.Net;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Simulation.Checking;
using Simulation.Running;

namespace Simulation.Reporting;

/// <summary>
/// <c>report.html</c>: one self-contained page (no script, style or font from anywhere else) with the summary, the
/// invariants, and charts drawn as SVG by a small script from the data embedded in the page: throughput over time,
/// latency percentiles per subscriber (publish to first settlement decision, simulated seconds), deliveries and retries,
/// dead letters per reason, alerts, actions per run, and memory over time. Every chart is an <c>svg</c> with
/// <c>data-chart</c> set to its name and one <c>rect</c> or <c>path</c> per data mark, so a browser test can see that
/// each one rendered.
/// </summary>
public static class HtmlReport
{
    public static readonly string[] Charts = ["throughput", "latency", "deliveries", "dead-letters", "alerts", "actions", "memory"];

    public static void Write(string file, SimulationResult result) => File.WriteAllText(file, Render(result));

    public static string Render(SimulationResult result)
    {
        var data = Data(result);
        var summary = result.Summary;
        var title = $"Simulated day: {summary.Orders:N0} orders, profile {result.Options.Profile.Name}, seed {result.Options.Seed}";
        var verdict = summary.InvariantsHeld ? "<p class=\"ok\">Every invariant held.</p>" : $"<p class=\"bad\">{result.Check.ViolationCount:N0} violation(s) of the invariants.</p>";
        var violations = summary.Violations.Count == 0 ? "" :
            "<ol class=\"violations\">" + string.Concat(summary.Violations.Select(v => $"<li>{WebUtility.HtmlEncode(v)}</li>")) + "</ol>" +
            (result.Check.ViolationCount > summary.Violations.Count ? $"<p>… and {result.Check.ViolationCount - summary.Violations.Count:N0} more.</p>" : "");
        var rows = string.Concat(summary.ToJson().Properties()
            .Where(p => p.Value.Type is not (JTokenType.Array or JTokenType.Object))
            .Select(p => $"<tr><th>{p.Name}</th><td>{WebUtility.HtmlEncode(Format(p.Value))}</td></tr>"));
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>{{WebUtility.HtmlEncode(title)}}</title>
            <style>
            body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem; color: #1b1b1b; max-width: 70rem; }
            h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
            table { border-collapse: collapse; } th, td { text-align: left; padding: .2rem .8rem .2rem 0; border-bottom: 1px solid #ddd; font-variant-numeric: tabular-nums; }
            .ok { color: #107c10; font-weight: 600; } .bad { color: #a4262c; font-weight: 600; }
            .violations li { font-family: ui-monospace, monospace; font-size: .85rem; }
            figure { margin: 1rem 0 2rem; } figcaption { font-size: .9rem; color: #555; margin-bottom: .4rem; }
            svg { background: #fafafa; border: 1px solid #e5e5e5; }
            svg text { font-size: 11px; fill: #333; }
            </style>
            </head>
            <body>
            <h1>{{WebUtility.HtmlEncode(title)}}</h1>
            {{verdict}}
            {{violations}}
            <h2>Summary</h2>
            <table>{{rows}}</table>
            <h2>Charts</h2>
            <figure><figcaption>Throughput over time (per wall-clock second): events accepted by the intake, deliveries decided by the subscribers, workflow runs finished</figcaption><svg data-chart="throughput" width="900" height="280"></svg></figure>
            <figure><figcaption>Latency per subscriber, publish to the first settlement decision (simulated seconds; p50, p95, p99; docs/monitoring.md "End-to-end latency")</figcaption><svg data-chart="latency" width="900" height="280"></svg></figure>
            <figure><figcaption>Deliveries and retries per subscriber: deliveries (settlement decisions), redeliveries, failed deliveries (KPI failure rate), retry attempts inside runs</figcaption><svg data-chart="deliveries" width="900" height="280"></svg></figure>
            <figure><figcaption>Dead letters per reason (from the dead-letter archive)</figcaption><svg data-chart="dead-letters" width="900" height="280"></svg></figure>
            <figure><figcaption>Alerts: dead letters and Teams cards per subscriber (one card per dead letter)</figcaption><svg data-chart="alerts" width="900" height="280"></svg></figure>
            <figure><figcaption>Actions per run (runs that settled their message on the first delivery; intake: every run)</figcaption><svg data-chart="actions" width="900" height="280"></svg></figure>
            <figure><figcaption>Working set over time (MB)</figcaption><svg data-chart="memory" width="900" height="240"></svg></figure>
            <script id="data" type="application/json">{{data.ToString(Formatting.None).Replace("</", "<\\/", StringComparison.Ordinal)}}</script>
            <script>
            {{Script}}
            </script>
            </body>
            </html>
            """;
    }

    private static string Format(JToken value) => value.Type switch
    {
        JTokenType.Float => ((double)value).ToString("N2", CultureInfo.InvariantCulture),
        JTokenType.Integer => ((long)value).ToString("N0", CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static JObject Data(SimulationResult result)
    {
        var metrics = result.Metrics;
        var timeline = metrics.Timeline;
        var throughput = new JArray();
        for (var i = 1; i < timeline.Count; i++)
        {
            var a = timeline[i - 1];
            var b = timeline[i];
            var seconds = Math.Max(b.WallSeconds - a.WallSeconds, 1e-3);
            throughput.Add(new JArray(Math.Round(b.WallSeconds, 1), Math.Round((b.Accepted - a.Accepted) / seconds, 1),
                Math.Round((b.Deliveries - a.Deliveries) / seconds, 1), Math.Round((b.Runs - a.Runs) / seconds, 1)));
        }
        var subscribers = Subscribers.All;
        return new JObject
        {
            ["throughput"] = new JObject { ["series"] = new JArray("events accepted/s", "deliveries/s", "runs/s"), ["points"] = throughput },
            ["latency"] = Groups(subscribers.Select(s => s.Workflow()), ["p50", "p95", "p99"],
                subscribers.Select(s => new[] { 50.0, 95, 99 }.Select(p => Math.Round(metrics.For(s).Latency.Percentile(p) ?? 0, 3)).ToArray())),
            ["deliveries"] = Groups(subscribers.Select(s => s.Workflow()), ["deliveries", "redeliveries", "failed", "retry attempts"],
                subscribers.Select(s => new double[] { metrics.For(s).Deliveries.Value, metrics.For(s).Redeliveries.Value, metrics.For(s).FailedDeliveries.Value, metrics.For(s).Retries.Value })),
            ["dead-letters"] = Groups(metrics.Ledger.DeadLetterReasons.Keys.OrderBy(k => k, StringComparer.Ordinal), ["dead letters"],
                metrics.Ledger.DeadLetterReasons.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new double[] { p.Value })),
            ["alerts"] = Groups(subscribers.Select(s => s.Workflow()), ["dead letters", "Teams cards"],
                subscribers.Select(s => new double[] { DeadLetters(result, s), Alerts(result, s) })),
            ["actions"] = Groups(result.Summary.ActionsPerRun.Keys.OrderBy(k => k, StringComparer.Ordinal), ["actions per run"],
                result.Summary.ActionsPerRun.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new[] { Math.Round(p.Value, 2) })),
            ["memory"] = new JObject
            {
                ["series"] = new JArray("working set MB"),
                ["points"] = new JArray(timeline.Select(t => new JArray(Math.Round(t.WallSeconds, 1), Math.Round(t.WorkingSetBytes / 1048576.0, 1)))),
            },
        };
    }

    private static double DeadLetters(SimulationResult result, Subscriber subscriber) => PerEvent(result, (ledger, e) => ledger.DeadLetters(subscriber, e));

    private static double Alerts(SimulationResult result, Subscriber subscriber) => PerEvent(result, (ledger, e) => ledger.Alerts(subscriber, e));

    private static double PerEvent(SimulationResult result, Func<DayLedger, Generation.EventRef, int> count)
    {
        var ledger = result.Metrics.Ledger;
        long total = 0;
        for (var slot = 0; slot < ledger.Day.Slots; slot++) total += count(ledger, Generation.EventRef.FromSlot(slot));
        return total;
    }

    private static JObject Groups(IEnumerable<string> labels, string[] series, IEnumerable<double[]> values) => new()
    {
        ["labels"] = new JArray(labels),
        ["series"] = new JArray(series),
        ["values"] = new JArray(values.Select(v => new JArray(v))),
    };

    /// <summary>Draws the charts; throws nothing on empty data (an empty chart says "no data").</summary>
    private const string Script = """
        (function () {
          const data = JSON.parse(document.getElementById('data').textContent);
          const colors = ['#0078d4', '#d83b01', '#107c10', '#5c2d91', '#b4009e', '#008272'];
          const ns = 'http://www.w3.org/2000/svg';
          function el(name, attrs, parent, text) {
            const e = document.createElementNS(ns, name);
            for (const k in attrs) e.setAttribute(k, attrs[k]);
            if (text !== undefined) e.textContent = text;
            parent.appendChild(e);
            return e;
          }
          function frame(svg) {
            const w = +svg.getAttribute('width'), h = +svg.getAttribute('height');
            return { w: w, h: h, left: 60, right: w - 170, top: 15, bottom: h - 40 };
          }
          function axis(svg, f, max) {
            el('line', { x1: f.left, y1: f.bottom, x2: f.right, y2: f.bottom, stroke: '#888' }, svg);
            el('line', { x1: f.left, y1: f.top, x2: f.left, y2: f.bottom, stroke: '#888' }, svg);
            for (let i = 0; i <= 4; i++) {
              const v = max * i / 4, y = f.bottom - (f.bottom - f.top) * i / 4;
              el('text', { x: f.left - 6, y: y + 4, 'text-anchor': 'end' }, svg, v >= 100 ? Math.round(v) : +v.toFixed(2));
            }
          }
          function legend(svg, f, series) {
            series.forEach(function (s, i) {
              el('rect', { x: f.right + 15, y: f.top + i * 18, width: 10, height: 10, fill: colors[i % colors.length] }, svg);
              el('text', { x: f.right + 30, y: f.top + i * 18 + 9 }, svg, s);
            });
          }
          function empty(svg, f) { el('text', { x: (f.left + f.right) / 2, y: (f.top + f.bottom) / 2, 'text-anchor': 'middle' }, svg, 'no data'); }
          function bars(svg, d) {
            const f = frame(svg);
            const max = Math.max(1, ...d.values.flat());
            if (d.labels.length === 0) { axis(svg, f, 1); empty(svg, f); return; }
            axis(svg, f, max);
            const groupWidth = (f.right - f.left) / d.labels.length;
            const barWidth = Math.max(2, (groupWidth - 10) / d.series.length);
            d.labels.forEach(function (label, g) {
              d.values[g].forEach(function (v, s) {
                const height = (f.bottom - f.top) * v / max;
                el('rect', { x: f.left + g * groupWidth + 5 + s * barWidth, y: f.bottom - height, width: barWidth - 1, height: Math.max(height, 0),
                             fill: colors[s % colors.length], 'data-value': v }, svg).appendChild(document.createElementNS(ns, 'title')).textContent = d.series[s] + ': ' + v;
              });
              el('text', { x: f.left + g * groupWidth + groupWidth / 2, y: f.bottom + 15, 'text-anchor': 'middle' }, svg, label.length > 22 ? label.slice(0, 21) + '…' : label);
            });
            legend(svg, f, d.series);
          }
          function lines(svg, d) {
            const f = frame(svg);
            if (d.points.length === 0) { axis(svg, f, 1); empty(svg, f); return; }
            const maxX = Math.max(1e-9, ...d.points.map(function (p) { return p[0]; }));
            const maxY = Math.max(1e-9, ...d.points.flatMap(function (p) { return p.slice(1); }));
            axis(svg, f, maxY);
            d.series.forEach(function (s, i) {
              const path = d.points.map(function (p, j) {
                const x = f.left + (f.right - f.left) * p[0] / maxX, y = f.bottom - (f.bottom - f.top) * p[i + 1] / maxY;
                return (j === 0 ? 'M' : 'L') + x.toFixed(1) + ',' + y.toFixed(1);
              }).join(' ');
              el('path', { d: path, fill: 'none', stroke: colors[i % colors.length], 'stroke-width': 2 }, svg);
            });
            el('text', { x: f.right, y: f.bottom + 28, 'text-anchor': 'end' }, svg, 'wall-clock seconds (max ' + maxX + ')');
            legend(svg, f, d.series);
          }
          document.querySelectorAll('svg[data-chart]').forEach(function (svg) {
            const name = svg.getAttribute('data-chart');
            const d = data[name];
            if (d.points) lines(svg, d); else bars(svg, d);
            svg.setAttribute('data-rendered', 'true');
          });
        })();
        """;
}
