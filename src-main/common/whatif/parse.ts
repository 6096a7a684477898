/**
 * Reading what-if files (studies, scenarios, KPI declarations) from YAML: every problem names the line,
 * the column and the field path, like scene files.
 */
import { isNode, LineCounter, parseDocument, stringify, type Document } from "yaml";
import type { z } from "zod";
import { formatPath } from "../scene/parse";
import { Scenario, Study, WhatifDeclarations } from "./schema";

export interface WhatifProblem {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: WhatifProblem[] };

export class WhatifFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: WhatifProblem[],
  ) {
    super(
      `${file} is not valid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `${p.line ? `${file}:${p.line}:${p.column ?? 1}` : file}: ${p.path || "(top level)"}: ${p.message}`).join("\n"),
    );
    this.name = "WhatifFileError";
  }
}

export function parseYamlWith<S extends z.ZodType>(schema: S, text: string): Parsed<z.infer<S>> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({ path: "", message: `not valid YAML: ${e.message.split("\n")[0]}`, line: e.linePos?.[0].line, column: e.linePos?.[0].col })),
    };
  }
  const parsed = schema.safeParse(doc.toJS());
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => {
      const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]!] : issue.path;
      const message = issue.code === "unrecognized_keys" ? `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}` : issue.message;
      return { path: formatPath(path), message, ...locate(doc, lineCounter, path) };
    }),
  };
}

function locate(doc: Document, lc: LineCounter, path: readonly PropertyKey[]): { line?: number; column?: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n).map((s) => (typeof s === "symbol" ? String(s) : s)), true);
    if (isNode(node) && node.range) {
      const pos = lc.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return {};
}

/**
 * A study file, or a single scenario (then studied alone with default settings): a saved scenario can
 * be run in batch as it is.
 */
export function parseStudy(text: string): Parsed<Study> {
  const raw: unknown = parseDocument(text).toJS();
  const isStudy = typeof raw === "object" && raw !== null && ("whatif" in raw || "scenarios" in raw);
  if (isStudy) return parseYamlWith(Study, text);
  const single = parseYamlWith(Scenario, text);
  return single.ok ? { ok: true, value: Study.parse({ whatif: 1, scenarios: [single.value] }) } : single;
}

export function parseScenario(text: string): Parsed<Scenario> {
  return parseYamlWith(Scenario, text);
}

export function parseDeclarations(text: string): Parsed<WhatifDeclarations> {
  return parseYamlWith(WhatifDeclarations, text);
}

/** A scenario as YAML, the way the store saves it. */
export function scenarioToYaml(scenario: Scenario): string {
  return stringify(Scenario.parse(scenario), { lineWidth: 120 });
}
