/**
 * A value for a write, coerced to the node's DataType or refused with the reason. Nothing is rounded,
 * truncated or wrapped on the way to a PLC: 1.5 is not an Int32, 70000 is not a UInt16, "abc" is not a
 * Double. Pure: the typed writer supplies the node's type and turns a refusal into its answer.
 */
import { DataType, VariantArrayType, coerceInt64, coerceUInt64, type VariantOptions } from "node-opcua";
import type { PlantValue } from "./types";

export type WriteInput = number | boolean | string | Date | readonly (number | boolean | string)[];

export interface WriteTarget {
  builtin: DataType;
  /** -1 scalar, 1 array, 0 one or more dimensions, -2 any, -3 scalar or one dimension. */
  valueRank: number;
  arrayDimensions: number[];
}

export type Coerced = { ok: true; variant: VariantOptions; expected: PlantValue } | { ok: false; reason: string };

const INTEGER_RANGE: Partial<Record<DataType, [number, number]>> = {
  [DataType.SByte]: [-128, 127],
  [DataType.Byte]: [0, 255],
  [DataType.Int16]: [-32768, 32767],
  [DataType.UInt16]: [0, 65535],
  [DataType.Int32]: [-2147483648, 2147483647],
  [DataType.UInt32]: [0, 4294967295],
  [DataType.Int64]: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  [DataType.UInt64]: [0, Number.MAX_SAFE_INTEGER],
};
const FLOAT_MAX = 3.4028234663852886e38;

type ScalarResult = { ok: true; wire: unknown; expected: number | boolean | string } | { ok: false; reason: string };

function describe(value: unknown): string {
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (value instanceof Date) return `the date ${value.toISOString()}`;
  return `${typeof value} ${String(value)}`;
}

function scalar(value: unknown, type: DataType): ScalarResult {
  const typeName = DataType[type];
  const range = INTEGER_RANGE[type];
  if (range) {
    if (typeof value !== "number" || !Number.isFinite(value)) return { ok: false, reason: `${typeName} needs an integer, not ${describe(value)}` };
    if (!Number.isInteger(value)) return { ok: false, reason: `${value} is not an integer (${typeName} holds whole numbers only; nothing is rounded)` };
    if (value < range[0] || value > range[1]) return { ok: false, reason: `${value} is out of range for ${typeName} [${range[0]}, ${range[1]}]` };
    if (type === DataType.Int64) return { ok: true, wire: coerceInt64(value), expected: value };
    if (type === DataType.UInt64) return { ok: true, wire: coerceUInt64(value), expected: value };
    return { ok: true, wire: value, expected: value };
  }
  switch (type) {
    case DataType.Double:
      if (typeof value !== "number" || !Number.isFinite(value)) return { ok: false, reason: `Double needs a finite number, not ${describe(value)}` };
      return { ok: true, wire: value, expected: value };
    case DataType.Float:
      if (typeof value !== "number" || !Number.isFinite(value)) return { ok: false, reason: `Float needs a finite number, not ${describe(value)}` };
      if (Math.abs(value) > FLOAT_MAX) return { ok: false, reason: `${value} is out of range for Float (±${FLOAT_MAX})` };
      return { ok: true, wire: value, expected: Math.fround(value) };
    case DataType.Boolean:
      if (typeof value !== "boolean") return { ok: false, reason: `Boolean needs true or false, not ${describe(value)}` };
      return { ok: true, wire: value, expected: value };
    case DataType.String:
      if (typeof value !== "string") return { ok: false, reason: `String needs a string, not ${describe(value)}` };
      return { ok: true, wire: value, expected: value };
    case DataType.DateTime: {
      const date = value instanceof Date ? value : typeof value === "string" ? new Date(value) : undefined;
      if (!date || Number.isNaN(date.getTime())) return { ok: false, reason: `DateTime needs a date or an ISO 8601 string, not ${describe(value)}` };
      return { ok: true, wire: date, expected: date.getTime() };
    }
    default:
      return { ok: false, reason: `writing a ${typeName} value is not supported (numbers, booleans, strings and dates are)` };
  }
}

const TYPED_ARRAY: Partial<Record<DataType, new (values: number[]) => ArrayLike<number>>> = {
  [DataType.SByte]: Int8Array,
  [DataType.Byte]: Uint8Array,
  [DataType.Int16]: Int16Array,
  [DataType.UInt16]: Uint16Array,
  [DataType.Int32]: Int32Array,
  [DataType.UInt32]: Uint32Array,
  [DataType.Float]: Float32Array,
  [DataType.Double]: Float64Array,
};

export function coerceForWrite(value: unknown, target: WriteTarget): Coerced {
  const { builtin, valueRank } = target;
  if (builtin === DataType.Null || builtin === DataType.Variant) {
    return { ok: false, reason: `the node's DataType has no single built-in type (${DataType[builtin]}): the value's type cannot be checked` };
  }
  const isArray = Array.isArray(value);
  if (isArray) {
    if (valueRank === -1) return { ok: false, reason: "the node holds a single value, not an array" };
    if (valueRank > 1) return { ok: false, reason: `the node holds a ${valueRank}-dimensional array; only one dimension is written` };
    const items = value as readonly unknown[];
    const max = target.arrayDimensions[0] ?? 0;
    if (max > 0 && items.length > max) return { ok: false, reason: `the array has ${items.length} elements; the node holds at most ${max}` };
    const wire: unknown[] = [];
    const expected: (number | boolean | string)[] = [];
    for (let k = 0; k < items.length; k++) {
      const r = scalar(items[k], builtin);
      if (!r.ok) return { ok: false, reason: `element [${k}]: ${r.reason}` };
      wire.push(r.wire);
      expected.push(r.expected);
    }
    const Typed = TYPED_ARRAY[builtin];
    return {
      ok: true,
      variant: { dataType: builtin, arrayType: VariantArrayType.Array, value: Typed ? new Typed(wire as number[]) : wire },
      expected: expected as PlantValue,
    };
  }
  if (valueRank >= 1) return { ok: false, reason: `the node holds an array (ValueRank ${valueRank}), not a single value` };
  const r = scalar(value, builtin);
  if (!r.ok) return r;
  return { ok: true, variant: { dataType: builtin, arrayType: VariantArrayType.Scalar, value: r.wire }, expected: r.expected };
}

/** Whether the value read back is the one written (Float compares at single precision, with a tolerance). */
export function sameAsWritten(expected: PlantValue, actual: PlantValue, builtin: DataType): boolean {
  const close = (a: unknown, b: unknown) =>
    builtin === DataType.Float && typeof a === "number" && typeof b === "number" ? Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a)) : a === b;
  if (Array.isArray(expected) && Array.isArray(actual)) return expected.length === actual.length && expected.every((x, k) => close(x, actual[k]));
  return close(expected, actual);
}
