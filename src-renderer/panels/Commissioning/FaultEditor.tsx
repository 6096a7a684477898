/**
 * Injecting one fault on one signal: the kinds it accepts (from the host: sensor or actuator, analog or not),
 * the kind's parameter, and an optional delay and duration in plant seconds. The host checks everything again
 * and its refusal is shown verbatim by the caller.
 */
import { useState } from "react";
import { FAULT_STATUSES, type FaultKind, type FaultSpecInput, type IoRow } from "../../../src-main/common/api/commissioning";

const KIND_LABEL: Record<FaultKind, string> = {
  stuck: "stuck at",
  offset: "offset",
  drift: "drift /s",
  noise: "noise σ",
  bad: "bad quality",
  trip: "trip (motor protection)",
};

/** The fault spec the form describes, or a message saying which field is wrong. */
export function faultSpec(row: IoRow, kind: FaultKind, value: string, status: string, delay: string, duration: string): FaultSpecInput | string {
  const num = (text: string, what: string): number | string => {
    const n = Number(text);
    return text.trim() !== "" && Number.isFinite(n) ? n : `${what}: "${text}" is not a number`;
  };
  const timing: { delayS?: number; durationS?: number } = {};
  if (delay.trim() !== "") {
    const d = num(delay, "delay");
    if (typeof d === "string") return d;
    timing.delayS = d;
  }
  if (duration.trim() !== "") {
    const d = num(duration, "duration");
    if (typeof d === "string") return d;
    timing.durationS = d;
  }
  const tag = row.tag;
  switch (kind) {
    case "stuck": {
      if (value.trim() === "") return { tag, kind, ...timing };
      if (row.dataType === "Boolean") return { tag, kind, value: /^(1|true|on)$/i.test(value.trim()), ...timing };
      const v = num(value, "stuck value");
      return typeof v === "string" ? v : { tag, kind, value: v, ...timing };
    }
    case "offset":
    case "drift":
    case "noise": {
      const v = num(value, KIND_LABEL[kind]);
      if (typeof v === "string") return v;
      return kind === "offset" ? { tag, kind, offset: v, ...timing } : kind === "drift" ? { tag, kind, ratePerS: v, ...timing } : { tag, kind, sd: v, ...timing };
    }
    case "bad":
      return { tag, kind, status: status as (typeof FAULT_STATUSES)[number], ...timing };
    case "trip":
      return { tag, kind, ...timing };
  }
}

export function FaultEditor(props: { row: IoRow; busy: boolean; onInject(spec: FaultSpecInput): void; onCancel(): void; onProblem(message: string): void }) {
  const { row } = props;
  const [kind, setKind] = useState<FaultKind>(row.faultKinds[0] ?? "stuck");
  const [value, setValue] = useState("");
  const [status, setStatus] = useState<string>(FAULT_STATUSES[0]);
  const [delay, setDelay] = useState("");
  const [duration, setDuration] = useState("");
  const needsValue = kind === "offset" || kind === "drift" || kind === "noise" || kind === "stuck";
  const submit = () => {
    const spec = faultSpec(row, kind, value, status, delay, duration);
    if (typeof spec === "string") props.onProblem(spec);
    else props.onInject(spec);
  };
  return (
    <div className="cx-fault-editor" data-testid="fault-editor" data-tag={row.tag}>
      <select data-testid="fault-kind" value={kind} onChange={(e) => setKind(e.target.value as FaultKind)}>
        {row.faultKinds.map((k) => (
          <option key={k} value={k}>
            {KIND_LABEL[k]}
          </option>
        ))}
      </select>
      {needsValue && (
        <input
          data-testid="fault-value"
          className="cx-input"
          value={value}
          placeholder={kind === "stuck" ? (row.dataType === "Boolean" ? "on/off (blank: hold)" : "value (blank: hold)") : row.unit ?? "value"}
          onChange={(e) => setValue(e.target.value)}
        />
      )}
      {kind === "bad" && (
        <select data-testid="fault-status" value={status} onChange={(e) => setStatus(e.target.value)}>
          {FAULT_STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      )}
      <input className="cx-input cx-short" value={delay} placeholder="after s" title="Starts after this many plant seconds" onChange={(e) => setDelay(e.target.value)} />
      <input className="cx-input cx-short" value={duration} placeholder="for s" title="Clears itself after this many plant seconds" onChange={(e) => setDuration(e.target.value)} />
      <button className="gov-button danger" data-testid="fault-inject" disabled={props.busy} onClick={submit}>
        Inject
      </button>
      <button className="ghost" onClick={props.onCancel}>
        Cancel
      </button>
    </div>
  );
}
