/**
 * A plant state from a historian export (CSV), for `twinbench whatif --from-csv`. Two layouts:
 *
 *   wide: `time,<tag>,<tag>,…` one row per moment (the last row is the state), or
 *   long: `time,tag,value` one row per sample (the latest value of each tag is the state).
 *
 * `time` is Unix seconds or an ISO 8601 date. Columns may be setpoints (inputs), continuous states the
 * model knows (e.g. `bufferTank.level`) and latent parameters (e.g. `heatExchanger.foulingResistance`);
 * other columns are ignored. Latent parameters missing from the file take the scene's prior (`initial`).
 * The state has no exact snapshot: controller states start nominal.
 */
import type { PlantState } from "../common/whatif/schema";
import type { WhatifContext } from "./context";

export class CsvStateError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = "CsvStateError";
  }
}

export function stateFromCsv(text: string, ctx: WhatifContext, file = "CSV"): PlantState {
  const rows = text
    .split(/\r?\n/)
    .map((line, i) => ({ line: i + 1, cells: line.split(",").map((c) => c.trim()) }))
    .filter((r) => r.cells.some((c) => c !== ""));
  const header = rows.shift();
  if (!header || !/^time(_?s)?$/i.test(header.cells[0]!)) throw new CsvStateError(file, "line 1: expected a header starting with `time`");
  if (rows.length === 0) throw new CsvStateError(file, "no data rows");
  const values = new Map<string, number>();
  let timeS = 0;
  const num = (cell: string | undefined, line: number, what: string) => {
    const v = Number(cell);
    if (cell === undefined || cell === "" || !Number.isFinite(v)) throw new CsvStateError(file, `line ${line}: ${what} ${JSON.stringify(cell ?? "")} is not a number`);
    return v;
  };
  const time = (cell: string, line: number) => {
    const n = Number(cell);
    if (cell !== "" && Number.isFinite(n)) return n;
    const ms = Date.parse(cell);
    if (Number.isNaN(ms)) throw new CsvStateError(file, `line ${line}: time ${JSON.stringify(cell)} is neither Unix seconds nor an ISO 8601 date`);
    return ms / 1000;
  };

  const long = header.cells.length === 3 && header.cells[1]!.toLowerCase() === "tag" && header.cells[2]!.toLowerCase() === "value";
  if (long) {
    const at = new Map<string, number>();
    for (const r of rows) {
      const t = time(r.cells[0]!, r.line);
      const tag = r.cells[1]!;
      if ((at.get(tag) ?? -Infinity) <= t) {
        at.set(tag, t);
        values.set(tag, num(r.cells[2], r.line, `value of ${tag}`));
      }
      timeS = Math.max(timeS, t);
    }
  } else {
    const last = rows[rows.length - 1]!;
    timeS = time(last.cells[0]!, last.line);
    header.cells.slice(1).forEach((tag, i) => {
      const cell = last.cells[i + 1];
      if (cell !== undefined && cell !== "") values.set(tag, num(cell, last.line, `value of ${tag}`));
    });
  }

  const state: PlantState = { model: ctx.model.model, source: "historian", timeS, latent: {}, continuous: {}, inputs: {} };
  const latent = new Set(ctx.model.latent.map((l) => l.name));
  for (const [tag, v] of values) {
    const limits = ctx.limits.get(tag);
    if (limits && limits.dataType !== "Boolean") state.inputs[tag] = v;
    else if (ctx.model.continuous.includes(tag)) state.continuous[tag] = v;
    else if (latent.has(tag)) state.latent[tag] = v;
  }
  if (Object.keys(state.inputs).length + Object.keys(state.continuous).length + Object.keys(state.latent).length === 0) {
    throw new CsvStateError(file, `no column names a setpoint, continuous state or latent parameter of ${ctx.model.model} (e.g. ${[...ctx.limits.keys()][0]}, ${ctx.model.continuous[0]})`);
  }
  // A historian knows no latent parameters unless exported from the twin: the scene's prior fills the gaps.
  for (const asset of ctx.scene.assets) {
    for (const [key, prior] of Object.entries(asset.model?.latent ?? {})) {
      const name = `${asset.id}.${key}`;
      if (latent.has(name) && state.latent[name] === undefined) state.latent[name] = prior.initial;
    }
  }
  return state;
}
