// `twinbench whatif` as a user runs it: a child process, real files, real worker threads.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { tempFolder } from "../../support/temp";

const temp = tempFolder("whatif-cli");
after(() => temp.remove());

/** The whatif command through a small entry that registers it as src-main/cli/main.ts will. */
function whatif(args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "test/integration/whatif/support/whatif-cli.ts", "whatif", ...args], { encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  const path = join(temp.path, name);
  writeFileSync(path, text);
  return path;
}

const STUDY = `whatif: 1
settings: { seed: 2, substepS: 0.05 }
monteCarlo: { runs: 3 }
warmupS: 120
scenarios:
  - name: hotter
    horizonS: 600
    edits: [{ kind: setpoint, atS: 60, tag: bufferTank.temperatureSetpoint, value: 58 }]
  - name: cold-feed
    horizonS: 600
    edits: [{ kind: disturbance, atS: 0, input: feedTemperature, offsetK: -5 }]
`;

describe("twinbench whatif", () => {
  it("runs a study against the baseline and writes the KPI table, the series and a summary", { timeout: 120_000 }, () => {
    const out = join(temp.path, "out");
    const r = whatif(["--scenario", file("study.yaml", STUDY), "--out", out, "--workers", "1"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /2 scenario\(s\), 3 run\(s\) per arm/);
    assert.match(r.stdout, /hotter \(0\.166667 h\): KPI, baseline → scenario/);
    assert.match(r.stdout, /Energy: [\d.]+ → [\d.]+ kWh, Δ [\d.]+ \[[\d.]+, [\d.]+\]/);
    assert.match(r.stderr, /runs 9\/9/);
    const kpis = readFileSync(join(out, "kpis.csv"), "utf8").trim().split("\n");
    assert.equal(kpis.length, 1 + 2 * 8);
    assert.match(kpis[0]!, /^scenario,kpi,label,unit,baseline_p05/);
    const energy = kpis.find((l) => l.startsWith("hotter,energy,"))!.split(",");
    assert.ok(Number(energy[11]) > 0, "hotter tank costs energy");
    const series = readFileSync(join(out, "cold-feed.series.csv"), "utf8").trim().split("\n");
    assert.match(series[0]!, /^time_s,cell\.state\.p05,cell\.state\.p50/);
    assert.equal(series.length, 1 + 601);
    const summary = JSON.parse(readFileSync(join(out, "study.json"), "utf8"));
    assert.equal(summary.state.source, "simulator");
    assert.deepEqual(summary.scenarios.map((s: { name: string }) => s.name), ["hotter", "cold-feed"]);
  });

  it("refuses a scenario above a setpoint's limit with a message naming the limit, and writes nothing", { timeout: 60_000 }, () => {
    const out = join(temp.path, "refused");
    const scenario = file("too-hot.yaml", "name: too-hot\nhorizonS: 600\nedits:\n  - { kind: setpoint, atS: 0, tag: bufferTank.temperatureSetpoint, value: 95 }\n");
    const r = whatif(["--scenario", scenario, "--out", out]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Scenario "too-hot" is refused \(1 problem\):\n\s+edits\[0\] \(setpoint at 0 s\): bufferTank\.temperatureSetpoint: 95 °C is above write\.max 80 °C/);
    assert.equal(existsSync(out), false);
  });

  it("starts from a historian CSV, and names the line of a bad study file", { timeout: 60_000 }, () => {
    const csv = file("moment.csv", "time,bufferTank.level,bufferTank.temperature,bufferTank.temperatureSetpoint,heatExchanger.foulingResistance\n1714557600,1.25,54,55,0.25\n");
    const out = join(temp.path, "from-csv");
    const scenario = file("one.yaml", "name: one\nhorizonS: 300\nedits: [{ kind: setpoint, atS: 0, tag: bufferTank.temperatureSetpoint, value: 52 }]\n");
    const r = whatif(["--scenario", scenario, "--from-csv", csv, "--out", out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /State: .*moment\.csv at 2024-05-01T10:00:00\.000Z \(1 setpoints, 2 states, 2 latent\)/);
    assert.equal(JSON.parse(readFileSync(join(out, "study.json"), "utf8")).state.source, "historian");

    const bad = whatif(["--scenario", file("bad.yaml", "whatif: 1\nscenarios:\n  - name: x\n    horizonS: ten\n"), "--out", out]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /bad\.yaml:4:15: scenarios\[0\]\.horizonS: .*expected number/);
  });

  it("takes the fast path when asked, and refuses an unknown fidelity", { timeout: 120_000 }, () => {
    const out = join(temp.path, "fast");
    const scenario = file("fast.yaml", "name: fast\nhorizonS: 3600\nedits: [{ kind: setpoint, atS: 600, tag: bufferTank.temperatureSetpoint, value: 58 }]\n");
    const r = whatif(["--scenario", scenario, "--out", out, "--fidelity", "fast", "--workers", "1"]);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(readFileSync(join(out, "study.json"), "utf8"));
    assert.ok(summary.assumptions.some((a: string) => /fast path/.test(a)), JSON.stringify(summary.assumptions));
    const bad = whatif(["--scenario", scenario, "--out", out, "--fidelity", "rough"]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /"rough" is not a fidelity \(exact or fast\)/);
  });

  it("documents its options", () => {
    const r = whatif(["--help"]);
    assert.equal(r.code, 0);
    for (const option of ["--scene <file>", "--scenario <file>", "--from-csv <file>", "--out <folder>", "--workers <n>", "--fidelity <exact|fast>"]) assert.ok(r.stdout.includes(option), option);
  });
});
