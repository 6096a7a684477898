/**
 * A number input that lets a person type freely ("-", "1.", "") and reports a value only when the text is
 * a finite number (within min/max when given); the text stays as typed until then.
 */
import { useEffect, useState } from "react";

interface Props {
  value: number | undefined;
  onChange(value: number | undefined): void;
  /** Empty text means "not set" (undefined) instead of invalid. */
  optional?: boolean;
  min?: number;
  max?: number;
  step?: number;
  width?: number;
  testId?: string;
  title?: string;
}

export function NumberField({ value, onChange, optional, min, max, step, width = 72, testId, title }: Props) {
  const [text, setText] = useState(value === undefined ? "" : String(value));
  useEffect(() => {
    // Follow outside changes (another scenario loaded), not our own echo.
    setText((t) => (Number(t) === value && t.trim() !== "" ? t : value === undefined ? "" : String(value)));
  }, [value]);
  const n = Number(text);
  const empty = text.trim() === "";
  const valid = empty ? !!optional : Number.isFinite(n) && (min === undefined || n >= min) && (max === undefined || n <= max);
  return (
    <input
      type="number"
      className={`whatif-number${valid ? "" : " invalid"}`}
      style={{ width }}
      value={text}
      step={step ?? "any"}
      min={min}
      max={max}
      title={title}
      data-testid={testId}
      onChange={(e) => {
        const t = e.target.value;
        setText(t);
        if (t.trim() === "") {
          if (optional) onChange(undefined);
          return;
        }
        const v = Number(t);
        if (Number.isFinite(v) && (min === undefined || v >= min) && (max === undefined || v <= max)) onChange(v);
      }}
    />
  );
}
