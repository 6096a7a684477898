/**
 * The IO list: the CSV that PLC and instrument engineers keep, one row per field signal (tag, NodeId, data
 * type, direction, range, units, description). It says where the plant server serves each sensor and
 * actuator, and where a PLC finds them.
 *
 * Read as exported by a spreadsheet: comma or semicolon separated (with decimal commas then), quoted fields,
 * `#` comment lines, header names in any case and common synonyms (Address, Type, Min/Max, EU…). Every
 * problem names the line, so an engineer fixing a 500-row list lands on the right row.
 */
import type { TagDataType } from "../../common/scene/schema";

/** Seen from the PLC: `input` is a sensor wired to the PLC, `output` an actuator the PLC drives. */
export type IoDirection = "input" | "output";

export interface IoSignal {
  /** `<asset id>.<key>`, as scene tags are named. */
  tag: string;
  nodeId: string;
  dataType: TagDataType;
  direction: IoDirection;
  range?: [number, number];
  unit?: string;
  description?: string;
  /** Line of the row in the file (1-based). */
  line: number;
}

export interface IoList {
  signals: IoSignal[];
}

export interface IoListProblem {
  line: number;
  message: string;
}

export type IoListParseResult = { ok: true; ioList: IoList } | { ok: false; problems: IoListProblem[] };

export class IoListError extends Error {
  constructor(
    readonly file: string,
    readonly problems: IoListProblem[],
  ) {
    super(`IO list ${file} is not valid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `${file}:${p.line}: ${p.message}`).join("\n")}`);
    this.name = "IoListError";
  }
}

type Column = "tag" | "nodeId" | "dataType" | "direction" | "range" | "low" | "high" | "unit" | "description";

const HEADER_NAMES: Record<string, Column> = {
  tag: "tag", tagid: "tag", signal: "tag", name: "tag",
  nodeid: "nodeId", address: "nodeId", node: "nodeId",
  datatype: "dataType", type: "dataType",
  direction: "direction", io: "direction", dir: "direction",
  range: "range",
  min: "low", low: "low", rangelow: "low", rangemin: "low",
  max: "high", high: "high", rangehigh: "high", rangemax: "high",
  unit: "unit", units: "unit", eu: "unit", engineeringunits: "unit",
  description: "description", comment: "description", text: "description",
};

const DATA_TYPES: Record<string, TagDataType> = {
  double: "Double", lreal: "Double", float64: "Double",
  float: "Float", real: "Float", float32: "Float",
  int32: "Int32", dint: "Int32",
  uint32: "UInt32", udint: "UInt32", dword: "UInt32",
  boolean: "Boolean", bool: "Boolean",
  doublearray: "DoubleArray", "double[]": "DoubleArray", "array of lreal": "DoubleArray",
};

const DIRECTIONS: Record<string, IoDirection> = {
  input: "input", in: "input", di: "input", ai: "input", sensor: "input",
  output: "output", out: "output", do: "output", ao: "output", actuator: "output",
};

const TAG = /^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*$/;
const NODE_ID = /^(ns=\d+;|nsu=[^;]+;)?[isgb]=.+$/;
const REQUIRED: readonly Column[] = ["tag", "nodeId", "dataType", "direction"];

/** Parses IO list text. Never throws for bad input; returns every problem with its line. */
export function parseIoList(text: string): IoListParseResult {
  const records = readCsvRecords(text);
  const problems: IoListProblem[] = [];
  const header = records.find((r) => r.kind === "record");
  if (!header || header.kind !== "record") return { ok: false, problems: [{ line: 1, message: "no header row (expected columns tag, nodeId, dataType, direction, range, unit, description)" }] };
  const columns = new Map<Column, number>();
  header.fields.forEach((name, i) => {
    const column = HEADER_NAMES[name.toLowerCase().replace(/[\s_-]+/g, "")];
    if (column && !columns.has(column)) columns.set(column, i);
  });
  const missing = REQUIRED.filter((c) => !columns.has(c));
  if (missing.length > 0) {
    return { ok: false, problems: [{ line: header.line, message: `the header lacks column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (it has: ${header.fields.join(", ")})` }] };
  }
  const decimalComma = header.delimiter === ";";
  const signals: IoSignal[] = [];
  const byTag = new Map<string, number>();
  const byNodeId = new Map<string, number>();

  for (const record of records) {
    if (record === header) continue;
    if (record.kind === "error") {
      problems.push({ line: record.line, message: record.message });
      continue;
    }
    const { line, fields } = record;
    if (fields.every((f) => f.trim() === "")) continue;
    const cell = (c: Column) => {
      const i = columns.get(c);
      return i === undefined ? "" : (fields[i] ?? "").trim();
    };
    const before = problems.length;
    const add = (message: string) => problems.push({ line, message });
    if (fields.length > header.fields.length) add(`${fields.length} fields, but the header has ${header.fields.length} columns (a separator inside an unquoted field?)`);

    const tag = cell("tag");
    if (!TAG.test(tag)) add(`tag ${JSON.stringify(tag)}: expected <asset id>.<key>, e.g. bufferTank.level (letters, digits, _)`);
    else if (byTag.has(tag)) add(`tag ${tag} is listed twice (first at line ${byTag.get(tag)})`);
    else byTag.set(tag, line);
    const nodeId = cell("nodeId");
    if (!NODE_ID.test(nodeId)) add(`${tag}: nodeId ${JSON.stringify(nodeId)} is not an OPC UA NodeId such as ns=1;s=Name`);
    else if (byNodeId.has(nodeId)) add(`${tag}: nodeId ${nodeId} is already used at line ${byNodeId.get(nodeId)}`);
    else byNodeId.set(nodeId, line);
    const dataType = DATA_TYPES[cell("dataType").toLowerCase()];
    if (!dataType) add(`${tag}: dataType ${JSON.stringify(cell("dataType"))} is not one of Double, Float, Int32, UInt32, Boolean, DoubleArray`);
    const direction = DIRECTIONS[cell("direction").toLowerCase()];
    if (!direction) add(`${tag}: direction ${JSON.stringify(cell("direction"))} is not input (sensor → PLC) or output (PLC → actuator)`);
    const range = readRange(cell("range"), cell("low"), cell("high"), decimalComma, (m) => add(`${tag}: ${m}`));
    if (range && dataType === "Boolean" && !(range[0] === 0 && range[1] === 1)) add(`${tag}: a Boolean has no range other than 0..1, got ${range[0]}..${range[1]}`);

    if (problems.length > before) continue;
    const unit = cell("unit");
    const description = cell("description");
    signals.push({
      tag,
      nodeId,
      dataType: dataType!,
      direction: direction!,
      ...(range && dataType !== "Boolean" ? { range } : {}),
      ...(unit ? { unit } : {}),
      ...(description ? { description } : {}),
      line,
    });
  }
  if (signals.length === 0 && problems.length === 0) problems.push({ line: header.line, message: "the IO list has a header but no signals" });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, ioList: { signals } };
}

function readRange(
  combined: string,
  low: string,
  high: string,
  decimalComma: boolean,
  fail: (message: string) => void,
): [number, number] | undefined {
  let lo: string;
  let hi: string;
  if (combined) {
    const m = /^\[?\s*(-?[\d.,eE+-]+)\s*(?:\.\.|…|,|;| to )\s*(-?[\d.,eE+-]+)\s*\]?$/.exec(combined.replace(/(\d),(\d)/g, decimalComma ? "$1.$2" : "$1,$2"));
    if (!m) {
      fail(`range ${JSON.stringify(combined)}: expected low..high, e.g. 0..2.5`);
      return undefined;
    }
    [lo, hi] = [m[1]!, m[2]!];
  } else if (low || high) {
    if (!low || !high) {
      fail(`range: both ${low ? "high" : "low"} and ${low ? "low" : "high"} are needed (got only one)`);
      return undefined;
    }
    [lo, hi] = [low, high];
  } else {
    return undefined;
  }
  const num = (s: string) => Number(decimalComma ? s.replace(",", ".") : s);
  const range: [number, number] = [num(lo), num(hi)];
  if (!range.every(Number.isFinite)) {
    fail(`range ${lo}..${hi}: not numbers`);
    return undefined;
  }
  if (!(range[0] < range[1])) {
    fail(`range ${range[0]}..${range[1]}: low must be less than high`);
    return undefined;
  }
  return range;
}

type CsvRecord = { kind: "record"; line: number; fields: string[]; delimiter: "," | ";" } | { kind: "error"; line: number; message: string };

/**
 * Splits CSV text into records with the line each starts on. The delimiter is the one the first record
 * uses most (outside quotes); `#` lines and blank lines are skipped. Quoted fields may span lines.
 */
export function readCsvRecords(text: string): CsvRecord[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  let delimiter: "," | ";" | undefined;
  const out: CsvRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i]!;
    if (first.trim() === "" || first.trimStart().startsWith("#")) continue;
    const startLine = i + 1;
    if (!delimiter) delimiter = count(first, ";") > count(first, ",") ? ";" : ",";
    const fields: string[] = [];
    let field = "";
    let quoted = false;
    let text_ = first;
    let k = 0;
    for (;;) {
      if (k >= text_.length) {
        if (!quoted) break;
        if (i + 1 >= lines.length) break;
        i++;
        field += "\n";
        text_ = lines[i]!;
        k = 0;
        continue;
      }
      const c = text_[k]!;
      if (quoted) {
        if (c === '"' && text_[k + 1] === '"') {
          field += '"';
          k += 2;
        } else {
          if (c === '"') quoted = false;
          else field += c;
          k++;
        }
      } else if (c === '"' && field.trim() === "") {
        quoted = true;
        field = "";
        k++;
      } else if (c === delimiter) {
        fields.push(field);
        field = "";
        k++;
      } else {
        field += c;
        k++;
      }
    }
    if (quoted) {
      out.push({ kind: "error", line: startLine, message: "a quoted field is not closed before the end of the file" });
      break;
    }
    fields.push(field);
    out.push({ kind: "record", line: startLine, fields, delimiter });
  }
  return out;
}

function count(line: string, char: string): number {
  let n = 0;
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (c === char && !quoted) n++;
  }
  return n;
}
