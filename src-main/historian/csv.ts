/**
 * CSV export and import of historian samples, wide or long (CSV.md describes the format). Both stream:
 * export pages through the store and waits for the output to drain; import reads chunk by chunk and hands
 * samples on in batches. A bad line is skipped and reported with its line number, the column and what was
 * expected; the good lines around it are kept.
 */
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import type { Readable, Writable } from "node:stream";
import type { Quality } from "../common/api/contract";
import { CsvRecordReader, formatFlags, formatTime, formatValue, parseFlags, parseQuality, parseTime, parseValue, quote, type Parsed } from "./csv-format";
import type { HistorianSample } from "./sample";
import type { HistorianStore } from "./store";

export interface CsvExportOptions {
  tagIds: readonly string[];
  /** Source times, Unix ms, inclusive. */
  from: number;
  to: number;
  format: "wide" | "long";
  /** full (default): every field, so an import gives back the stored rows; basic: value and quality only. */
  detail?: "full" | "basic";
}

const LONG_FIELDS = ["tag", "time", "value", "quality", "status", "serverTime", "connection", "flags"] as const;
/** Per-tag columns of the wide format, after the value column `<tag>`: `<tag>#quality` and so on. */
const WIDE_FIELDS = ["quality", "status", "serverTime", "connection", "flags"] as const;
type WideField = "value" | (typeof WIDE_FIELDS)[number];

function cellsOf(s: HistorianSample, detail: "full" | "basic"): string[] {
  const basic = [quote(formatValue(s.value)), s.quality];
  if (detail === "basic") return basic;
  return [...basic, quote(s.status), s.serverTs === null ? "" : formatTime(s.serverTs), quote(s.connection), formatFlags(s.flags)];
}

export async function exportCsv(store: HistorianStore, out: Writable | string, options: CsvExportOptions): Promise<{ samples: number; lines: number }> {
  const stream = typeof out === "string" ? createWriteStream(out) : out;
  const detail = options.detail ?? "full";
  const perTag = detail === "full" ? 1 + WIDE_FIELDS.length : 2;
  let buffer = "";
  let lines = 0;
  let samples = 0;
  const write = async (line: string) => {
    buffer += line + "\n";
    lines++;
    if (buffer.length >= 65_536) {
      const ok = stream.write(buffer);
      buffer = "";
      if (!ok) await once(stream, "drain");
    }
  };

  if (options.format === "long") {
    await write((detail === "full" ? LONG_FIELDS : LONG_FIELDS.slice(0, 4)).join(","));
    for (const s of store.iterate(options.tagIds, options.from, options.to)) {
      samples++;
      await write([quote(s.tagId), formatTime(s.sourceTs), ...cellsOf(s, detail)].join(","));
    }
  } else {
    const header = ["time"];
    for (const id of options.tagIds) header.push(quote(id), ...(detail === "full" ? WIDE_FIELDS : WIDE_FIELDS.slice(0, 1)).map((f) => quote(`${id}#${f}`)));
    await write(header.join(","));
    const slot = new Map(options.tagIds.map((id, k) => [id, k]));
    let rowTs: number | null = null;
    let row: (HistorianSample | undefined)[] = [];
    const flushRow = async () => {
      if (rowTs === null) return;
      const cells = [formatTime(rowTs)];
      for (let k = 0; k < options.tagIds.length; k++) {
        const s = row[k];
        cells.push(...(s ? cellsOf(s, detail) : new Array<string>(perTag).fill("")));
      }
      await write(cells.join(","));
      row = [];
    };
    for (const s of store.iterate(options.tagIds, options.from, options.to)) {
      samples++;
      const k = slot.get(s.tagId)!;
      // A second value of the same tag at the same time goes on a new line with the same time.
      if (s.sourceTs !== rowTs || row[k] !== undefined) await flushRow();
      rowTs = s.sourceTs;
      row[k] = s;
    }
    await flushRow();
  }
  if (buffer) stream.write(buffer);
  if (typeof out === "string") {
    stream.end();
    await once(stream, "close");
  }
  return { samples, lines };
}

export interface CsvError {
  /** Line the record starts on (the header is line 1). */
  line: number;
  /** 1-based column, or null when the error is about the whole line or file. */
  column: number | null;
  columnName: string | null;
  message: string;
}

export interface CsvImportReport {
  format: "wide" | "long" | null;
  /** Data lines read (the header and blank lines not counted). */
  lines: number;
  samples: number;
  /** Data lines skipped because of an error. */
  skippedLines: number;
  /** The first `maxErrors` errors. */
  errors: CsvError[];
  errorCount: number;
}

export interface CsvImportOptions {
  onSamples(samples: HistorianSample[]): void | Promise<void>;
  batchRows?: number;
  maxErrors?: number;
  /** Connection of samples whose file names none. Default "". */
  defaultConnection?: string;
}

const DEFAULT_STATUS: Record<Quality, string> = { good: "Good", uncertain: "Uncertain", bad: "Bad" };

type Layout =
  | { kind: "long"; columns: Partial<Record<(typeof LONG_FIELDS)[number], number>> }
  | { kind: "wide"; tags: { id: string; columns: Partial<Record<WideField, number>> }[] };

export async function importCsv(input: Readable | string, options: CsvImportOptions): Promise<CsvImportReport> {
  const stream = typeof input === "string" ? createReadStream(input, { encoding: "utf8" }) : input;
  const batchRows = options.batchRows ?? 5_000;
  const maxErrors = options.maxErrors ?? 1_000;
  const report: CsvImportReport = { format: null, lines: 0, samples: 0, skippedLines: 0, errors: [], errorCount: 0 };
  let header: string[] = [];
  let layout: Layout | null = null;
  let fatal = false;
  let batch: HistorianSample[] = [];
  const records: { fields: string[]; line: number }[] = [];
  const reader = new CsvRecordReader((fields, line) => records.push({ fields, line }));
  const error = (line: number, column: number | null, message: string) => {
    report.errorCount++;
    if (report.errors.length < maxErrors) report.errors.push({ line, column: column === null ? null : column + 1, columnName: column === null ? null : (header[column] ?? null), message });
  };

  const take = async () => {
    for (const { fields, line } of records.splice(0)) {
      if (fatal) return;
      if (fields.length === 1 && fields[0]!.trim() === "") continue; // blank line
      if (layout === null) {
        header = fields.map((f) => f.trim());
        layout = layoutOf(header, line, error);
        if (layout === null) fatal = true;
        else report.format = layout.kind;
        continue;
      }
      report.lines++;
      if (fields.length !== header.length) {
        error(line, null, `expected ${header.length} fields (as in the header), got ${fields.length}`);
        report.skippedLines++;
        continue;
      }
      const before = report.errorCount;
      const samples = layout.kind === "long" ? longSamples(layout, fields, line, error, options) : wideSamples(layout, fields, line, error, options);
      if (report.errorCount > before) {
        report.skippedLines++;
        continue;
      }
      for (const s of samples) batch.push(s);
      report.samples += samples.length;
      if (batch.length >= batchRows) {
        const full = batch;
        batch = [];
        await options.onSamples(full);
      }
    }
  };

  let first = true;
  for await (const chunk of stream as AsyncIterable<string | Buffer>) {
    let text = typeof chunk === "string" ? chunk : chunk.toString("utf8");
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1); // byte-order mark from spreadsheet programs
    first = false;
    reader.push(text);
    await take();
    if (fatal) break;
  }
  if (!fatal) {
    const unterminated = reader.end();
    await take();
    if (unterminated) {
      report.lines++;
      report.skippedLines++;
      error(unterminated.line, null, unterminated.message);
    }
  }
  if (typeof input === "string") (stream as Readable).destroy();
  if (batch.length > 0) await options.onSamples(batch);
  if (layout === null && !fatal) error(1, null, "the file is empty: expected a header line");
  return report;
}

type ErrorSink = (line: number, column: number | null, message: string) => void;

function layoutOf(header: string[], line: number, error: ErrorSink): Layout | null {
  const seen = new Map<string, number>();
  for (const [k, name] of header.entries()) {
    if (seen.has(name)) {
      error(line, k, `column ${JSON.stringify(name)} appears twice`);
      return null;
    }
    seen.set(name, k);
  }
  if (seen.has("tag")) {
    const columns: Partial<Record<(typeof LONG_FIELDS)[number], number>> = {};
    for (const [k, name] of header.entries()) {
      if ((LONG_FIELDS as readonly string[]).includes(name)) columns[name as (typeof LONG_FIELDS)[number]] = k;
      else error(line, k, `unknown column ${JSON.stringify(name)} (ignored); a long CSV has ${LONG_FIELDS.join(", ")}`);
    }
    const missing = (["tag", "time", "value"] as const).filter((c) => columns[c] === undefined);
    if (missing.length > 0) {
      error(line, null, `missing column(s) ${missing.join(", ")}: a long CSV needs tag, time and value`);
      return null;
    }
    return { kind: "long", columns };
  }
  if (header[0] !== "time") {
    error(line, 0, "expected a header: long format (tag,time,value,…) or wide format (time,<tag id>,…)");
    return null;
  }
  const tags = new Map<string, Partial<Record<WideField, number>>>();
  for (let k = 1; k < header.length; k++) {
    const name = header[k]!;
    const hash = name.lastIndexOf("#");
    const id = hash < 0 ? name : name.slice(0, hash);
    const field = (hash < 0 ? "value" : name.slice(hash + 1)) as WideField;
    if (id === "" || (field !== "value" && !(WIDE_FIELDS as readonly string[]).includes(field))) {
      error(line, k, `unknown column ${JSON.stringify(name)} (ignored); expected <tag id> or <tag id>#${WIDE_FIELDS.join("|")}`);
      continue;
    }
    const columns = tags.get(id) ?? {};
    columns[field] = k;
    tags.set(id, columns);
  }
  const out: { id: string; columns: Partial<Record<WideField, number>> }[] = [];
  for (const [id, columns] of tags) {
    if (columns.value === undefined) error(line, null, `columns of ${id} without its value column ${JSON.stringify(id)} (ignored)`);
    else out.push({ id, columns });
  }
  return { kind: "wide", tags: out };
}

/** Parses the cell in `column` (when the layout has it) or returns the fallback; records an error. */
function cell<T>(fields: string[], column: number | undefined, line: number, error: ErrorSink, parse: (text: string) => Parsed<T>, fallback: T): T {
  if (column === undefined) return fallback;
  const text = fields[column]!.trim();
  if (text === "") return fallback;
  const r = parse(text);
  if (r.ok) return r.value;
  error(line, column, `expected ${r.expected}; got ${JSON.stringify(text)}`);
  return fallback;
}

function sampleOf(
  tagId: string,
  sourceTs: number,
  columns: Partial<Record<WideField, number>>,
  fields: string[],
  line: number,
  error: ErrorSink,
  options: CsvImportOptions,
): HistorianSample {
  const value = cell(fields, columns.value, line, error, parseValue, null);
  const quality = cell(fields, columns.quality, line, error, parseQuality, "good" as Quality);
  const status = columns.status !== undefined && fields[columns.status]!.trim() !== "" ? fields[columns.status]! : DEFAULT_STATUS[quality];
  const serverTs = cell<number | null>(fields, columns.serverTime, line, error, parseTime, null);
  const connection = columns.connection !== undefined && fields[columns.connection] !== "" ? fields[columns.connection]! : (options.defaultConnection ?? "");
  const flags = cell(fields, columns.flags, line, error, parseFlags, 0);
  return { tagId, sourceTs, serverTs, value, quality, status, connection, flags };
}

function longSamples(layout: Extract<Layout, { kind: "long" }>, fields: string[], line: number, error: ErrorSink, options: CsvImportOptions): HistorianSample[] {
  const c = layout.columns;
  const tagId = fields[c.tag!]!.trim();
  if (tagId === "") error(line, c.tag!, "expected a tag id; got an empty cell");
  const time = fields[c.time!]!.trim();
  const ts = parseTime(time);
  if (!ts.ok) error(line, c.time!, `expected ${ts.expected}; got ${JSON.stringify(time)}`);
  const s = sampleOf(tagId, ts.ok ? ts.value : NaN, c, fields, line, error, options);
  return [s];
}

function wideSamples(layout: Extract<Layout, { kind: "wide" }>, fields: string[], line: number, error: ErrorSink, options: CsvImportOptions): HistorianSample[] {
  const time = fields[0]!.trim();
  const ts = parseTime(time);
  if (!ts.ok) {
    error(line, 0, `expected ${ts.expected}; got ${JSON.stringify(time)}`);
    return [];
  }
  const out: HistorianSample[] = [];
  for (const { id, columns } of layout.tags) {
    // A tag has a sample on this line when any of its cells is filled.
    const present = Object.values(columns).some((k) => fields[k]!.trim() !== "");
    if (present) out.push(sampleOf(id, ts.value, columns, fields, line, error, options));
  }
  return out;
}
