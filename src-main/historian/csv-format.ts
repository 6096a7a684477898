/**
 * Cells and records of the historian's CSV format (see CSV.md): times, values, quality, flags, quoting,
 * and a streaming record reader that knows the line each record starts on. Pure TypeScript.
 */
import type { Quality, TagValue } from "../common/api/contract";
import { flagNames, parseFlagNames } from "./sample";

export type Parsed<T> = { ok: true; value: T } | { ok: false; expected: string };

/**
 * ISO 8601 UTC with milliseconds, e.g. 2024-05-01T12:00:00.250Z. A time with a sub-millisecond part gets
 * more fraction digits (the shortest that read back to the same number).
 */
export function formatTime(ts: number): string {
  if (Number.isInteger(ts)) return new Date(ts).toISOString();
  const whole = Math.trunc(ts);
  const text = String(ts);
  const extra = text.slice(text.indexOf(".") + 1);
  const iso = new Date(whole).toISOString();
  return `${iso.slice(0, -1)}${extra}Z`;
}

const TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,15}))?(Z|([+-])(\d{2}):(\d{2}))$/;
const TIME_EXPECTED = "an ISO 8601 time such as 2024-05-01T12:00:00.000Z";

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function parseTime(text: string): Parsed<number> {
  const m = TIME.exec(text);
  if (!m) return { ok: false, expected: TIME_EXPECTED };
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const fraction = m[7] ?? "";
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    return { ok: false, expected: `${TIME_EXPECTED} (a real date and time of day)` };
  }
  let offsetMin = 0;
  if (m[8] !== "Z") {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 14 || om > 59) return { ok: false, expected: `${TIME_EXPECTED} (offset at most ±14:00)` };
    offsetMin = (m[9] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Number(fraction.slice(0, 3).padEnd(3, "0"));
  const whole = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMin * 60_000;
  const extra = fraction.slice(3);
  return { ok: true, value: extra ? Number(`${whole}.${extra}`) : whole };
}

/** A number as the shortest text that reads back exactly (NaN, Infinity, -Infinity as words; -0 kept). */
function formatNumber(x: number): string {
  return Object.is(x, -0) ? "-0" : String(x);
}

export function formatValue(v: TagValue): string {
  if (v === null) return "";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return formatNumber(v);
  return `[${v.map(formatNumber).join(",")}]`;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const VALUE_EXPECTED = "a number, true or false, an array such as [1,2.5], or empty for no value";

function parseNumber(text: string): number | null {
  if (NUMBER.test(text)) return Number(text);
  if (text === "NaN") return NaN;
  if (text === "Infinity" || text === "+Infinity") return Infinity;
  if (text === "-Infinity") return -Infinity;
  return null;
}

export function parseValue(text: string): Parsed<TagValue> {
  if (text === "") return { ok: true, value: null };
  const lower = text.toLowerCase();
  if (lower === "true" || lower === "false") return { ok: true, value: lower === "true" };
  if (text.startsWith("[")) {
    if (!text.endsWith("]")) return { ok: false, expected: "an array closed by ]" };
    const inner = text.slice(1, -1).trim();
    if (inner === "") return { ok: true, value: [] };
    const values: number[] = [];
    for (const part of inner.split(",")) {
      const x = parseNumber(part.trim());
      if (x === null) return { ok: false, expected: `an array of numbers (element ${JSON.stringify(part.trim())} is not one)` };
      values.push(x);
    }
    return { ok: true, value: values };
  }
  const x = parseNumber(text);
  return x === null ? { ok: false, expected: VALUE_EXPECTED } : { ok: true, value: x };
}

export function parseQuality(text: string): Parsed<Quality> {
  const q = text.toLowerCase();
  return q === "good" || q === "uncertain" || q === "bad" ? { ok: true, value: q } : { ok: false, expected: "good, uncertain or bad" };
}

/** Flag names joined by |, e.g. spike|quarantined; empty for none. */
export function formatFlags(flags: number): string {
  return flagNames(flags).join("|");
}

export function parseFlags(text: string): Parsed<number> {
  if (/^\d+$/.test(text)) return { ok: true, value: Number(text) };
  const r = parseFlagNames(text);
  if ("unknown" in r) return { ok: false, expected: `flag names joined by | (range, rate, stuck, spike, nonFinite, stale, drift, quarantined); ${JSON.stringify(r.unknown)} is not one` };
  return { ok: true, value: r.flags };
}

/** Quotes a cell when it holds a comma, a quote, a line break or leading/trailing space. */
export function quote(cell: string): string {
  return /[",\r\n]|^\s|\s$/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/**
 * Splits CSV text, fed in chunks of any size, into records (RFC 4180: quoted fields may hold commas,
 * doubled quotes and line breaks; CRLF or LF line ends). Each record comes with the line it starts on.
 */
export class CsvRecordReader {
  private field = "";
  private fields: string[] = [];
  private inQuotes = false;
  /** A quote seen inside quotes: either the closing one or the first of a doubled pair. */
  private quoteSeen = false;
  private fieldStarted = false;
  private line = 1;
  private recordLine = 1;

  constructor(private readonly emit: (fields: string[], line: number) => void) {}

  push(chunk: string): void {
    for (let k = 0; k < chunk.length; k++) {
      const ch = chunk[k]!;
      if (this.quoteSeen) {
        this.quoteSeen = false;
        if (ch === '"') {
          this.field += '"';
          continue;
        }
        this.inQuotes = false; // that quote closed the field; this character is outside it
      }
      if (this.inQuotes) {
        if (ch === '"') this.quoteSeen = true;
        else {
          if (ch === "\n") this.line++;
          this.field += ch;
        }
        continue;
      }
      if (ch === ",") this.endField();
      else if (ch === "\n") {
        this.endField();
        this.endRecord();
        this.line++;
        this.recordLine = this.line;
      } else if (ch === "\r") continue;
      else if (ch === '"' && !this.fieldStarted) {
        this.inQuotes = true;
        this.fieldStarted = true;
      } else {
        this.field += ch;
        this.fieldStarted = true;
      }
    }
  }

  /** Ends the input; returns an error for an unterminated quoted field (that last record is dropped). */
  end(): { line: number; message: string } | null {
    if (this.quoteSeen) {
      this.quoteSeen = false;
      this.inQuotes = false;
    }
    if (this.inQuotes) return { line: this.recordLine, message: "a quoted field never ends (missing closing quote)" };
    if (this.fieldStarted || this.fields.length > 0) {
      this.endField();
      this.endRecord();
    }
    return null;
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = "";
    this.fieldStarted = false;
  }

  private endRecord(): void {
    const fields = this.fields;
    this.fields = [];
    this.emit(fields, this.recordLine);
  }
}
