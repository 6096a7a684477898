/**
 * Binding a scene tag to a browsed node, as an edit of the scene file's text. Engineers keep scene files in
 * git with comments and their own layout, so the edit touches only the fields it changes: values are
 * replaced in place and missing fields or tags are inserted at the indentation around them. The result is
 * checked twice: it must mean exactly the intended change (parsed back and compared), and it must be a
 * valid scene (`parseScene`). Pure: text in, text out.
 */
import { Document, isCollection, isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type YAMLMap } from "yaml";
import { parseScene, type SceneProblem } from "../common/scene/parse";
import type { Scene, TagDataType, TagRole } from "../common/scene/schema";

export interface TagBindingEdit {
  assetId: string;
  /** The tag's key in the asset (its id is `<assetId>.<key>`). */
  key: string;
  nodeId: string;
  /** Omitted: the tag keeps its connection (a new tag uses the scene's first). */
  connection?: string;
  dataType: TagDataType;
  /** For a new tag; default measurement. An existing tag keeps its role unless given. */
  role?: TagRole;
  unit?: string;
  range?: [number, number];
}

export type BindResult =
  | { ok: true; text: string; scene: Scene; created: boolean }
  | { ok: false; problems: SceneProblem[] };

type FieldValue = string | number | [number, number];
interface TextEdit {
  at: number;
  end: number;
  text: string;
}

export function bindTagInSceneText(text: string, edit: TagBindingEdit): BindResult {
  const fail = (path: string, message: string): BindResult => ({ ok: false, problems: [{ path, message }] });
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return fail("", `the scene file is not valid YAML: ${doc.errors[0]!.message.split("\n")[0]}`);
  const assets = doc.get("assets", true);
  if (!isSeq(assets)) return fail("assets", "the scene has no assets list");
  const assetIndex = assets.items.findIndex((a) => isMap(a) && a.get("id") === edit.assetId);
  const asset = assets.items[assetIndex];
  if (!isMap(asset)) return fail("assets", `no asset with id "${edit.assetId}"`);

  const tags = asset.get("tags", true);
  const existing = isMap(tags) ? tags.get(edit.key, true) : undefined;
  const fields: [string, FieldValue][] = [["nodeId", edit.nodeId]];
  if (edit.connection !== undefined) fields.push(["connection", edit.connection]);
  fields.push(["dataType", edit.dataType]);
  if (edit.role !== undefined || !existing) fields.push(["role", edit.role ?? "measurement"]);
  if (edit.unit !== undefined) fields.push(["unit", edit.unit]);
  if (edit.range !== undefined) fields.push(["range", edit.range]);

  const edits: TextEdit[] = [];
  if (isMap(existing)) {
    for (const [field, value] of fields) edits.push(setField(text, existing, field, value));
  } else if (existing !== undefined && existing !== null) {
    return fail(`assets[${assetIndex}].tags.${edit.key}`, "the tag is not a mapping; edit it by hand");
  } else if (isMap(tags)) {
    edits.push(addEntry(text, tags, edit.key, fields));
  } else if (tags === undefined || tags === null) {
    edits.push(addEntry(text, asset, "tags", [[edit.key, fields] as never]));
  } else {
    return fail(`assets[${assetIndex}].tags`, "tags is not a mapping; edit it by hand");
  }

  const out = applyEdits(text, edits);
  // The intended meaning, made on the parsed document, must equal what the edited text means.
  for (const [field, value] of fields) doc.setIn(["assets", assetIndex, "tags", edit.key, field], value);
  const after = parseDocument(out);
  if (after.errors.length > 0 || JSON.stringify(after.toJS()) !== JSON.stringify(doc.toJS())) {
    return fail(`assets[${assetIndex}].tags.${edit.key}`, "the scene's layout here is too unusual to edit in place; bind this tag by hand");
  }
  const checked = parseScene(out);
  if (!checked.ok) return { ok: false, problems: checked.problems };
  return { ok: true, text: out, scene: checked.scene, created: !isMap(existing) };
}

/** Replaces the field's value in place, or adds the field to the map. */
function setField(text: string, map: YAMLMap, field: string, value: FieldValue): TextEdit {
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === field) as Pair<Node, Node | null> | undefined;
  const node = pair?.value;
  if (node && (isScalar(node) || isCollection(node)) && node.range) {
    const flowValue = !isScalar(node) || insideFlow(map);
    return { at: node.range[0], end: node.range[1], text: valueText(value, flowValue) };
  }
  return addEntry(text, map, field, value);
}

/** Adds `key: value` (a scalar, a range, or a nested list of fields) at the end of a map. */
function addEntry(text: string, map: YAMLMap, key: string, value: FieldValue | [string, unknown][]): TextEdit {
  const range = map.range!;
  if (map.flow) {
    const close = text.lastIndexOf("}", range[1]);
    const inner = text.slice(range[0] + 1, close);
    const padded = /^\s/.test(inner) || inner.length === 0;
    const entry = `${keyText(key)}: ${nestedFlow(value)}`;
    if (inner.trim().length === 0) return { at: range[0], end: close + 1, text: padded ? `{ ${entry} }` : `{${entry}}` };
    const trimmedEnd = range[0] + 1 + inner.trimEnd().length;
    return { at: trimmedEnd, end: trimmedEnd, text: `, ${entry}` };
  }
  const firstKey = map.items[0]?.key as Node | undefined;
  const indent = firstKey?.range ? columnOf(text, firstKey.range[0]) : columnOf(text, range[0]);
  const lines = blockLines(key, value, " ".repeat(indent));
  let at = range[1];
  // The map ends at the start of the line after its last entry; skip back over trailing blank lines.
  while (at > 1 && text[at - 1] === "\n" && text[at - 2] === "\n") at--;
  const prefix = at > 0 && text[at - 1] !== "\n" ? "\n" : "";
  return { at, end: at, text: `${prefix}${lines.join("\n")}\n` };
}

function blockLines(key: string, value: FieldValue | [string, unknown][], indent: string): string[] {
  if (Array.isArray(value) && value.length > 0 && Array.isArray(value[0])) {
    const nested = value as [string, unknown][];
    return [`${indent}${keyText(key)}:`, ...nested.flatMap(([k, v]) => blockLines(k, v as FieldValue | [string, unknown][], `${indent}  `))];
  }
  return [`${indent}${keyText(key)}: ${valueText(value as FieldValue, false)}`];
}

function nestedFlow(value: FieldValue | [string, unknown][]): string {
  if (Array.isArray(value) && value.length > 0 && Array.isArray(value[0])) {
    return `{ ${(value as [string, unknown][]).map(([k, v]) => `${keyText(k)}: ${nestedFlow(v as FieldValue)}`).join(", ")} }`;
  }
  return valueText(value as FieldValue, true);
}

function valueText(value: FieldValue, inFlow: boolean): string {
  if (Array.isArray(value)) return `[${value.map(String).join(", ")}]`;
  if (typeof value === "number") return String(value);
  // Inside { } or [ ], commas, brackets and ": " end a plain scalar: quote such strings.
  if (inFlow && /[,[\]{}#]|: /.test(value)) return JSON.stringify(value);
  return new Document(value).toString().trimEnd();
}

function keyText(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : JSON.stringify(key);
}

function insideFlow(map: YAMLMap): boolean {
  return map.flow === true;
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf("\n", offset - 1) + 1);
}

/** Applies edits from the end of the text backwards; insertions at one spot keep their listed order. */
function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  const ordered = edits.map((e, k) => ({ e, k })).sort((a, b) => b.e.at - a.e.at || b.k - a.k);
  for (const { e } of ordered) out = out.slice(0, e.at) + e.text + out.slice(e.end);
  return out;
}

/** The scene's data type for a browsed Variable, or why the scene cannot bind it yet. */
export function sceneDataTypeOf(node: { dataType?: string; valueRank?: number }): { ok: true; dataType: TagDataType } | { ok: false; reason: string } {
  const type = node.dataType ?? "";
  const isArray = (node.valueRank ?? -1) >= 1;
  if (isArray) {
    return type === "Double" ? { ok: true, dataType: "DoubleArray" } : { ok: false, reason: `an array of ${type || "unknown type"} cannot be bound (the scene has DoubleArray only)` };
  }
  if ((SCENE_SCALARS as readonly string[]).includes(type)) return { ok: true, dataType: type as TagDataType };
  return { ok: false, reason: `DataType ${type || "unknown"} cannot be bound yet (the scene has ${SCENE_SCALARS.join(", ")}, DoubleArray)` };
}

const SCENE_SCALARS = ["Double", "Float", "Int32", "UInt32", "Boolean"] as const;
