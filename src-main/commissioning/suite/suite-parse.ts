/**
 * Suite text → a checked suite: YAML → schema → conditions → tag references. Every problem names the line
 * and column (a condition's problem the column inside the condition too) and the path of the field.
 */
import { isMap, isNode, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import type { SignalValue } from "../../../src-workers/plant/simulation-types";
import { formatPath } from "../../common/scene/parse";
import { describeFault, type FaultSpec } from "../faults/fault-spec";
import { ExpressionError, parseExpression, refText, tagsOf, type Expr, type TagRef } from "./expression";
import { RawStep, RawSuite, RawTest, type IoCheckoutOptions } from "./suite-schema";

export interface Condition {
  text: string;
  expr: Expr;
}

export type Action =
  | { kind: "write"; values: Record<string, SignalValue> }
  | { kind: "setState"; values: Record<string, number> }
  | { kind: "fault"; faults: FaultSpec[] }
  | { kind: "clearFaults"; tags?: string[] }
  | { kind: "dropConnection"; seconds: number }
  | { kind: "wait"; seconds: number }
  | { kind: "capture"; values: Record<string, Condition> }
  | { kind: "waitUntil"; condition: Condition; timeoutS: number; holdS: number; notBeforeS: number }
  | { kind: "assert"; condition: Condition; forS: number }
  | { kind: "expectOrder"; conditions: Condition[]; timeoutS: number; maxGapS?: number };

export interface Step {
  action: Action;
  /** One line saying what the step does, e.g. `waitUntil cell.state == 2 (≤ 30 s)`. */
  label: string;
  why?: string;
  /** Tags the step reads, then those it watches. */
  tags: TagRef[];
  line?: number;
}

export interface Test {
  name: string;
  description?: string;
  line?: number;
  steps: Step[];
}

export interface Suite {
  name: string;
  description?: string;
  plcTags: RawSuite["plcTags"];
  setup: Step[];
  teardown: Step[];
  tests: Test[];
  ioCheckout?: IoCheckoutOptions;
}

export interface SuiteProblem {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export type SuiteParseResult = { ok: true; suite: Suite } | { ok: false; problems: SuiteProblem[] };

/** Says what is wrong with a tag reference (unknown tag, not writable…), or undefined when it is fine. */
export type TagCheck = (ref: TagRef, use: "read" | "write") => string | undefined;

export class SuiteError extends Error {
  constructor(
    readonly file: string,
    readonly problems: SuiteProblem[],
  ) {
    super(`Suite ${file} is not valid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `${p.line ? `${file}:${p.line}:${p.column ?? 1}` : file}: ${p.path || "(top level)"}: ${p.message}`).join("\n")}`);
    this.name = "SuiteError";
  }
}

export function parseSuite(text: string, checkTag?: TagCheck): SuiteParseResult {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return { ok: false, problems: doc.errors.map((e) => ({ path: "", message: `not valid YAML: ${e.message.split("\n")[0]}`, line: e.linePos?.[0]?.line, column: e.linePos?.[0]?.col })) };
  }
  const problems: SuiteProblem[] = [];
  // Field problems point at the field's key; condition problems at the condition (plus the column inside it).
  const issue = (path: PropertyKey[], message: string, columnInside?: number, atValue = columnInside !== undefined) => {
    const at = locate(doc, lc, path, !atValue);
    problems.push({ path: formatPath(path), message: columnInside ? `${message} (column ${columnInside} of the condition)` : message, ...at });
  };
  const zodIssues = (base: PropertyKey[], issues: z.core.$ZodIssue[]) => {
    for (const i of issues) {
      if (i.code === "unrecognized_keys") for (const key of i.keys) issue([...base, ...i.path, key], `unknown field "${key}"`);
      else issue([...base, ...i.path], i.message);
    }
  };
  const parsed = RawSuite.safeParse(doc.toJS());
  if (!parsed.success) {
    zodIssues([], parsed.error.issues);
    return { ok: false, problems };
  }
  const raw = parsed.data;

  const condition = (path: PropertyKey[], text: string, tags: TagRef[]): Condition | undefined => {
    try {
      const expr = parseExpression(text);
      for (const ref of tagsOf(expr)) {
        const problem = checkTag?.(ref, "read");
        if (problem) issue(path, `${refText(ref)}: ${problem}`, undefined, true);
        tags.push(ref);
      }
      return { text, expr };
    } catch (err) {
      if (err instanceof ExpressionError) issue(path, err.message, err.column);
      else throw err;
      return undefined;
    }
  };

  const steps = (base: PropertyKey[], list: unknown[]): Step[] =>
    list.flatMap((rawStep, i) => {
      const at = [...base, i];
      const r = RawStep.safeParse(rawStep);
      if (!r.success) {
        zodIssues(at, r.error.issues);
        return [];
      }
      const s = r.data;
      const before = problems.length;
      const tags: TagRef[] = [];
      const step = toStep(s, at, tags, condition, (path, message) => issue(path, message), checkTag);
      for (const w of s.watch ?? []) {
        try {
          const expr = parseExpression(w);
          if (expr.kind !== "tag") throw new ExpressionError("watch lists tags, not conditions", 1);
          const problem = checkTag?.(expr.ref, "read");
          if (problem) issue([...at, "watch"], `${w}: ${problem}`);
          tags.push(expr.ref);
        } catch (err) {
          issue([...at, "watch"], `${w}: ${(err as Error).message}`);
        }
      }
      if (problems.length > before || !step) return [];
      return [{ ...step, tags: dedupe(tags), ...(s.why ? { why: s.why } : {}), ...locate(doc, lc, at) }];
    });

  const suite: Suite = {
    name: raw.name,
    ...(raw.description ? { description: raw.description } : {}),
    plcTags: raw.plcTags,
    setup: steps(["setup"], raw.setup),
    teardown: steps(["teardown"], raw.teardown),
    tests: raw.tests.map((t: z.infer<typeof RawTest>, i) => ({
      name: t.name,
      ...(t.description ? { description: t.description } : {}),
      line: locate(doc, lc, ["tests", i]).line,
      steps: steps(["tests", i, "steps"], t.steps),
    })),
    ...(raw.ioCheckout ? { ioCheckout: raw.ioCheckout } : {}),
  };
  const names = new Map<string, number>();
  suite.tests.forEach((t, i) => {
    if (names.has(t.name)) issue(["tests", i, "name"], `test name "${t.name}" is already used by tests[${names.get(t.name)}]`);
    names.set(t.name, i);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, suite };
}

function toStep(
  s: RawStep,
  at: PropertyKey[],
  tags: TagRef[],
  condition: (path: PropertyKey[], text: string, tags: TagRef[]) => Condition | undefined,
  issue: (path: PropertyKey[], message: string) => void,
  checkTag: TagCheck | undefined,
): Omit<Step, "tags"> | undefined {
  if (s.write) {
    for (const id of Object.keys(s.write)) {
      const problem = checkTag?.({ id }, "write");
      if (problem) issue([...at, "write", id], `${id}: ${problem}`);
    }
    return { action: { kind: "write", values: s.write }, label: `write ${Object.entries(s.write).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(", ")}` };
  }
  if (s.setState) return { action: { kind: "setState", values: s.setState }, label: `set plant state ${Object.entries(s.setState).map(([k, v]) => `${k} = ${v}`).join(", ")}` };
  if (s.fault) {
    const faults = Array.isArray(s.fault) ? s.fault : [s.fault];
    faults.forEach((f, i) => {
      const problem = checkTag?.({ id: f.tag, side: "plant" }, "read");
      if (problem) issue([...at, "fault", ...(Array.isArray(s.fault) ? [i] : []), "tag"], `${f.tag}: ${problem}`);
    });
    return { action: { kind: "fault", faults }, label: `inject ${faults.map(describeFault).join("; ")}` };
  }
  if (s.clearFaults) {
    const all = s.clearFaults === "all";
    return { action: all ? { kind: "clearFaults" } : { kind: "clearFaults", tags: s.clearFaults as string[] }, label: all ? "clear every fault" : `clear the faults of ${(s.clearFaults as string[]).join(", ")}` };
  }
  if (s.dropConnection !== undefined) return { action: { kind: "dropConnection", seconds: s.dropConnection }, label: `drop the connection to the plant for ${s.dropConnection} s` };
  if (s.wait !== undefined) return { action: { kind: "wait", seconds: s.wait }, label: `wait ${s.wait} s` };
  if (s.capture) {
    const values: Record<string, Condition> = {};
    for (const [name, text] of Object.entries(s.capture)) {
      const c = condition([...at, "capture", name], text, tags);
      if (c) values[name] = c;
    }
    return { action: { kind: "capture", values }, label: `capture ${Object.entries(s.capture).map(([k, v]) => `$${k} = ${v}`).join(", ")}` };
  }
  if (s.waitUntil) {
    const c = condition([...at, "waitUntil"], s.waitUntil, tags);
    if (!c) return undefined;
    const extra = [s.notBeforeS ? `not before ${s.notBeforeS} s` : "", s.holdS ? `holding ${s.holdS} s` : ""].filter(Boolean).join(", ");
    return {
      action: { kind: "waitUntil", condition: c, timeoutS: s.timeoutS!, holdS: s.holdS ?? 0, notBeforeS: s.notBeforeS ?? 0 },
      label: `wait until ${s.waitUntil} (within ${s.timeoutS} s${extra ? `, ${extra}` : ""})`,
    };
  }
  if (s.assert) {
    const c = condition([...at, "assert"], s.assert, tags);
    if (!c) return undefined;
    return { action: { kind: "assert", condition: c, forS: s.forS ?? 0 }, label: s.forS ? `assert ${s.assert} for ${s.forS} s` : `assert ${s.assert}` };
  }
  const conditions = (s.expectOrder ?? []).map((text, i) => condition([...at, "expectOrder", i], text, tags));
  if (conditions.some((c) => !c)) return undefined;
  return {
    action: { kind: "expectOrder", conditions: conditions as Condition[], timeoutS: s.timeoutS!, ...(s.maxGapS !== undefined ? { maxGapS: s.maxGapS } : {}) },
    label: `expect in order: ${(s.expectOrder ?? []).join(" → ")} (within ${s.timeoutS} s${s.maxGapS ? `, gaps ≤ ${s.maxGapS} s` : ""})`,
  };
}

function dedupe(tags: TagRef[]): TagRef[] {
  return tags.filter((t, i) => tags.findIndex((u) => u.id === t.id && u.side === t.side) === i);
}

/**
 * Line and column of a path in the YAML source: of its key when `key` and the path ends in a map key, else of
 * its value; the nearest existing parent when the path is missing.
 */
function locate(doc: Document, lc: LineCounter, path: readonly PropertyKey[], key = false): { line?: number; column?: number } {
  const segments = path.map((p) => (typeof p === "symbol" ? String(p) : p));
  for (let n = segments.length; n >= 0; n--) {
    let offset: number | undefined;
    if (key && n === segments.length && n > 0 && typeof segments[n - 1] === "string") {
      const parent = doc.getIn(segments.slice(0, n - 1), true);
      if (isMap(parent)) {
        const pair = parent.items.find((it) => isNode(it.key) && (it.key as { value?: unknown }).value === segments[n - 1]);
        if (pair && isNode(pair.key)) offset = pair.key.range?.[0];
      }
    }
    if (offset === undefined) {
      const node = n === 0 ? doc.contents : doc.getIn(segments.slice(0, n), true);
      if (isNode(node)) offset = node.range?.[0];
    }
    if (offset !== undefined) {
      const pos = lc.linePos(offset);
      return { line: pos.line, column: pos.col };
    }
  }
  return {};
}
