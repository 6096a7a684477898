/**
 * Turning scene text into a checked `Scene`: YAML (or JSON, a subset) → schema → cross references.
 * Every problem names the file, the line and column, the path of the field and what was expected,
 * because an engineer fixing a 400-line scene needs to land on the right line.
 */
import { isMap, isNode, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { ASSET_LEVEL_RANK, Scene } from "./schema";

export interface SceneProblem {
  /** Path of the field, e.g. `assets[2].tags.level.unit`. */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export type SceneParseResult = { ok: true; scene: Scene } | { ok: false; problems: SceneProblem[] };

export class SceneError extends Error {
  constructor(
    readonly file: string,
    readonly problems: SceneProblem[],
  ) {
    super(formatSceneProblems(file, problems));
    this.name = "SceneError";
  }
}

export function formatSceneProblems(file: string, problems: SceneProblem[]): string {
  const lines = problems.map((p) => {
    const where = p.line ? `${file}:${p.line}:${p.column ?? 1}` : file;
    return `${where}: ${p.path || "(top level)"}: ${p.message}`;
  });
  return `Scene ${file} is not valid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${lines.join("\n")}`;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** Parses and checks scene text. Never throws for bad input; returns the problems instead. */
export function parseScene(text: string): SceneParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return { path: "", message: `not valid YAML/JSON: ${e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`, line: pos?.line, column: pos?.col };
      }),
    };
  }
  const raw: unknown = doc.toJS();
  const parsed = Scene.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.flatMap((i) => describeIssue(i, doc, lineCounter)) };
  }
  const problems = crossCheck(parsed.data).map((p) => ({ ...p, ...locate(doc, lineCounter, p.segments) }));
  if (problems.length > 0) return { ok: false, problems: problems.map(({ segments: _s, ...p }) => p) };
  return { ok: true, scene: parsed.data };
}

/** Validates an already parsed object (e.g. a scene sent over the API). */
export function checkScene(raw: unknown): SceneParseResult {
  const parsed = Scene.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
  }
  const problems = crossCheck(parsed.data).map(({ segments, message }) => ({ path: formatPath(segments), message }));
  return problems.length ? { ok: false, problems } : { ok: true, scene: parsed.data };
}

function describeIssue(issue: z.core.$ZodIssue, doc: Document, lc: LineCounter): SceneProblem[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => {
      const segments = [...issue.path, key];
      return { path: formatPath(segments), message: `unknown field "${key}"${suggest(key)}`, ...locate(doc, lc, segments, true) };
    });
  }
  return [{ path: formatPath(issue.path), message: issue.message, ...locate(doc, lc, issue.path) }];
}

/** For a misspelled field, names the allowed fields of that object so the fix is obvious. */
function suggest(key: string): string {
  const known = KNOWN_FIELD_HINTS.find((names) => names.some((n) => closeEnough(n, key)));
  const match = known?.find((n) => closeEnough(n, key));
  return match ? ` (did you mean "${match}"?)` : "";
}

const KNOWN_FIELD_HINTS: string[][] = [
  ["scene", "name", "description", "connections", "simulation", "loop", "view", "assets", "estimation"],
  ["components", "params", "latent", "inputs", "constants", "measurements", "filter", "prognosis", "anomaly", "cutoff", "sigma"],
  ["id", "name", "level", "parent", "description", "geometry", "model", "tags"],
  ["nodeId", "connection", "dataType", "role", "description", "unit", "range", "access", "samplingMs", "trend", "write", "validation", "history", "deadband", "queueSize"],
  ["identity", "passwordEnv", "username", "publishingMs", "securityMode", "securityPolicy", "endpoint"],
  ["min", "max", "maxStep", "maxRatePerS", "approveRole", "twoPerson", "autoApproveBand"],
  ["shape", "position", "radius", "height", "color", "fillTag", "fillRange", "fillColor", "size", "rotationY"],
  ["runningTag", "speedTag", "faultTag", "colorTag", "colorRange", "length", "width", "itemsTag", "itemColor", "points", "flowTag"],
];

function closeEnough(a: string, b: string): boolean {
  if (a === b) return false;
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return true;
  return editDistance(x, y) <= Math.max(1, Math.floor(Math.min(x.length, y.length) / 4));
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** Finds the line and column of a field in the source; falls back to the nearest existing parent. */
function locate(
  doc: Document,
  lc: LineCounter,
  segments: readonly PropertyKey[],
  wantKey = false,
): { line?: number; column?: number } {
  for (let n = segments.length; n >= 0; n--) {
    const path = segments.slice(0, n).map((s) => (typeof s === "symbol" ? String(s) : s));
    let offset: number | undefined;
    if (wantKey && n === segments.length && n > 0) {
      const parent = doc.getIn(path.slice(0, -1), true);
      if (isMap(parent)) {
        const pair = parent.items.find((it) => isNode(it.key) && (it.key as { value?: unknown }).value === path[n - 1]);
        if (pair && isNode(pair.key)) offset = pair.key.range?.[0];
      }
    }
    if (offset === undefined) {
      const node = n === 0 ? doc.contents : doc.getIn(path, true);
      if (isNode(node)) offset = node.range?.[0];
    }
    if (offset !== undefined) {
      const pos = lc.linePos(offset);
      return { line: pos.line, column: pos.col };
    }
  }
  return {};
}

interface LocatedProblem {
  segments: PropertyKey[];
  path: string;
  message: string;
}

/** Checks that need the whole scene: references between assets, tags, connections and geometry. */
function crossCheck(scene: Scene): LocatedProblem[] {
  const out: LocatedProblem[] = [];
  const add = (segments: PropertyKey[], message: string) => out.push({ segments, path: formatPath(segments), message });

  const connectionIds = new Set<string>();
  scene.connections.forEach((c, i) => {
    if (connectionIds.has(c.id)) add(["connections", i, "id"], `duplicate connection id "${c.id}"`);
    connectionIds.add(c.id);
  });

  const byId = new Map<string, { index: number; level: keyof typeof ASSET_LEVEL_RANK }>();
  scene.assets.forEach((a, i) => {
    if (byId.has(a.id)) add(["assets", i, "id"], `duplicate asset id "${a.id}" (first at assets[${byId.get(a.id)!.index}])`);
    else byId.set(a.id, { index: i, level: a.level });
  });

  const roots = scene.assets.filter((a) => a.parent === undefined);
  if (roots.length !== 1) {
    add(["assets"], `exactly one asset must have no parent (the root); found ${roots.length}: ${roots.map((r) => r.id).join(", ") || "none"}`);
  }

  const nodeIds = new Map<string, string>();
  scene.assets.forEach((asset, i) => {
    if (asset.parent !== undefined) {
      const parent = byId.get(asset.parent);
      if (!parent) add(["assets", i, "parent"], `parent "${asset.parent}" is not an asset id of this scene`);
      else if (ASSET_LEVEL_RANK[parent.level] >= ASSET_LEVEL_RANK[asset.level]) {
        add(["assets", i, "level"], `a ${asset.level} cannot sit under a ${parent.level} ("${asset.parent}"): a child must be a lower level`);
      }
    }
    for (const [key, tag] of Object.entries(asset.tags)) {
      const at: PropertyKey[] = ["assets", i, "tags", key];
      const conn = tag.connection ?? scene.connections[0]!.id;
      if (!connectionIds.has(conn)) add([...at, "connection"], `connection "${conn}" is not declared in connections`);
      const nodeKey = `${conn}|${tag.nodeId}`;
      const other = nodeIds.get(nodeKey);
      if (other) add([...at, "nodeId"], `NodeId ${tag.nodeId} is already bound to tag ${other}`);
      else nodeIds.set(nodeKey, `${asset.id}.${key}`);
      if (tag.write && tag.range) {
        if (tag.write.min < tag.range[0] || tag.write.max > tag.range[1]) {
          add([...at, "write"], `write limits [${tag.write.min}, ${tag.write.max}] must lie inside the tag range [${tag.range[0]}, ${tag.range[1]}]`);
        }
      }
    }
    asset.geometry.forEach((g, gi) => {
      for (const field of ["fillTag", "runningTag", "speedTag", "faultTag", "colorTag", "itemsTag", "flowTag"] as const) {
        const ref = (g as Record<string, unknown>)[field];
        if (typeof ref === "string" && !(ref in asset.tags)) {
          add(["assets", i, "geometry", gi, field], `"${ref}" is not a tag of asset "${asset.id}" (tags: ${Object.keys(asset.tags).join(", ") || "none"})`);
        }
      }
    });
  });
  return out;
}
