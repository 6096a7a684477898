/**
 * The commissioning report as one self-contained HTML file for a commissioning engineer: the verdict and
 * counts, then every suite and test with its steps; a failed test opens by itself and shows what was
 * expected, what was seen, why it matters, the faults that were active and small trend plots of the tags
 * involved. No scripts (a strict CSP says so), no external resources.
 */
import { runCounts, runPassed, countTests, type RunResult, type TestResult } from "../runner/results";
import { esc, trendSvg } from "./svg-trend";

const STATUS_TEXT: Record<TestResult["status"], string> = { passed: "passed", failed: "failed", error: "error", skipped: "skipped" };

export function htmlReport(run: RunResult): string {
  const c = runCounts(run);
  const passed = runPassed(run);
  const when = new Date(run.startedAt);
  const props = { scene: run.scene, "plant server": run.plantEndpoint, PLC: run.plcEndpoint, ...run.properties };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Commissioning report: ${esc(run.scene)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
  <h1>Commissioning report <span class="scene">${esc(run.scene)}</span></h1>
  <p class="when">${esc(when.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC"))} · ${run.durationS.toFixed(1)} s</p>
</header>
<section class="summary" data-test="summary">
  <div class="verdict ${passed ? "ok" : "bad"}" data-test="verdict">${passed ? "PASSED" : "FAILED"}</div>
  <div class="counts">
    <span class="count"><b data-test="count-tests">${c.tests}</b> tests</span>
    <span class="count passed"><b data-test="count-passed">${c.passed}</b> passed</span>
    <span class="count failed"><b data-test="count-failed">${c.failed}</b> failed</span>
    <span class="count error"><b data-test="count-errors">${c.errors}</b> errors</span>
    <span class="count skipped"><b data-test="count-skipped">${c.skipped}</b> skipped</span>
  </div>
  <table class="props">${Object.entries(props).map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join("")}</table>
  <table class="suites"><tr><th>Suite</th><th>Tests</th><th>Passed</th><th>Failed</th><th>Errors</th><th>Skipped</th><th>Time</th></tr>
  ${run.suites.map((s) => {
    const sc = countTests(s.tests);
    return `<tr><td>${esc(s.name)}</td><td>${sc.tests}</td><td>${sc.passed}</td><td class="${sc.failed ? "bad" : ""}">${sc.failed}</td><td class="${sc.errors ? "bad" : ""}">${sc.errors}</td><td>${sc.skipped}</td><td>${s.durationS.toFixed(1)} s</td></tr>`;
  }).join("")}</table>
</section>
${run.suites.map((s) => `<section class="suite">
  <h2>${esc(s.name)}${s.file ? ` <span class="file">${esc(s.file)}</span>` : ""}</h2>
  ${s.tests.map(testHtml).join("\n")}
</section>`).join("\n")}
<footer>Twinbench virtual commissioning. Times in steps and plots are plant seconds.</footer>
</body>
</html>
`;
}

function testHtml(t: TestResult): string {
  const open = t.status === "failed" || t.status === "error" ? " open" : "";
  const steps = t.steps.length
    ? `<ol class="steps">${t.steps
        .map((s, i) => `<li class="step ${s.status}${t.failure?.step === i ? " culprit" : ""}"><span class="badge ${s.status}">${STATUS_TEXT[s.status]}</span> ${esc(s.label)}${s.line !== undefined ? ` <span class="line">line ${s.line}</span>` : ""} <span class="time">${s.startS.toFixed(1)} s +${s.durationS.toFixed(1)} s</span>${s.message ? `<div class="step-message">${esc(s.message)}</div>` : ""}</li>`)
        .join("")}</ol>`
    : "";
  const f = t.failure;
  const failure = f
    ? `<div class="failure" data-test="failure">
  <pre class="message">${esc(f.message)}</pre>
  <dl><dt>Expected</dt><dd>${esc(f.expected || "—")}</dd><dt>Seen</dt><dd>${esc(f.seen || "—")}</dd>${f.why ? `<dt>Why it matters</dt><dd>${esc(f.why)}</dd>` : ""}${f.faults.length ? `<dt>Active faults</dt><dd>${esc(f.faults.join("; "))}</dd>` : ""}</dl>
  ${f.trends.length ? `<div class="plots" data-test="failure-plots">${f.trends.map((tr) => `<figure data-test="failure-plot">${trendSvg(tr, { stepStartS: f.stepStartS, failedAtS: f.atS })}</figure>`).join("")}</div>` : ""}
</div>`
    : "";
  return `<details class="test ${t.status}"${open} data-test="test" data-status="${t.status}">
  <summary><span class="badge ${t.status}">${STATUS_TEXT[t.status]}</span> <span class="name">${esc(t.name)}</span> <span class="time">${t.durationS.toFixed(1)} s wall · ${t.plantS.toFixed(1)} s plant</span></summary>
  ${t.description ? `<p class="description">${esc(t.description)}</p>` : ""}${t.skipped ? `<p class="description">Skipped: ${esc(t.skipped)}</p>` : ""}
  ${steps}
  ${failure}
</details>`;
}

const CSS = `
:root { --ok: #1d7a46; --bad: #b3261e; --err: #9a5b00; --skip: #6b7280; --ink: #1f2933; --muted: #616e7c; --line: #d9dee5; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 24px; background: #f7f8fa; }
h1 { font-size: 22px; margin: 0; } h1 .scene { color: var(--muted); font-weight: 400; }
h2 { font-size: 17px; margin: 28px 0 10px; } h2 .file { font-size: 12px; color: var(--muted); font-weight: 400; }
.when { color: var(--muted); margin: 4px 0 16px; }
.summary { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px; display: grid; grid-template-columns: auto 1fr; gap: 12px 24px; align-items: center; }
.verdict { font-size: 26px; font-weight: 700; padding: 10px 18px; border-radius: 6px; color: #fff; }
.verdict.ok { background: var(--ok); } .verdict.bad { background: var(--bad); }
.counts { display: flex; gap: 18px; flex-wrap: wrap; } .count b { font-size: 20px; }
.count.passed b { color: var(--ok); } .count.failed b { color: var(--bad); } .count.error b { color: var(--err); } .count.skipped b { color: var(--skip); }
table { border-collapse: collapse; font-size: 13px; } th, td { text-align: left; padding: 3px 10px 3px 0; vertical-align: top; }
.props { grid-column: 1 / -1; } .props th { color: var(--muted); font-weight: 500; }
.suites { grid-column: 1 / -1; } .suites th { border-bottom: 1px solid var(--line); } td.bad { color: var(--bad); font-weight: 700; }
details.test { background: #fff; border: 1px solid var(--line); border-left: 4px solid var(--skip); border-radius: 6px; margin: 8px 0; padding: 8px 12px; }
details.test.passed { border-left-color: var(--ok); } details.test.failed { border-left-color: var(--bad); } details.test.error { border-left-color: var(--err); }
summary { cursor: pointer; } summary .name { font-weight: 600; } .time, .line { color: var(--muted); font-size: 12px; }
.badge { display: inline-block; min-width: 56px; text-align: center; font-size: 11px; font-weight: 700; text-transform: uppercase; border-radius: 3px; padding: 1px 6px; color: #fff; background: var(--skip); }
.badge.passed { background: var(--ok); } .badge.failed { background: var(--bad); } .badge.error { background: var(--err); }
.description { color: var(--muted); margin: 6px 0; }
ol.steps { margin: 8px 0; padding-left: 22px; } li.step { margin: 3px 0; } li.step.skipped { color: var(--skip); } li.culprit { background: #fdecea; border-radius: 4px; }
.step-message { color: var(--bad); font-size: 12px; margin-left: 64px; }
.failure { border-top: 1px dashed var(--line); margin-top: 8px; padding-top: 8px; }
pre.message { white-space: pre-wrap; background: #fdecea; border-radius: 4px; padding: 8px 10px; margin: 0 0 8px; font: 13px/1.4 ui-monospace, "SFMono-Regular", Menlo, monospace; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0; } dt { color: var(--muted); } dd { margin: 0; }
.plots { display: flex; flex-wrap: wrap; gap: 10px; } figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 4px; }
svg.trend .plot-area { fill: #fbfcfd; stroke: var(--line); } svg.trend .series { fill: none; stroke: #2f6fd0; stroke-width: 1.6; stroke-linecap: round; }
svg.trend .plot-title { font-size: 11px; font-weight: 600; fill: var(--ink); } svg.trend .plot-last, svg.trend .axis { font-size: 10px; fill: var(--muted); }
svg.trend .mark-step { stroke: #8a94a6; stroke-dasharray: 4 3; } svg.trend .mark-fail { stroke: var(--bad); stroke-width: 1.5; }
footer { color: var(--muted); font-size: 12px; margin-top: 32px; }
`;
