/**
 * One edit of the scenario's timeline: when (minutes from the fork), what, and its fields. Limits of a
 * setpoint are shown beside it; the host checks them again (and refuses naming the limit) when it runs.
 */
import type { ReactNode } from "react";
import type { ScenarioEdit } from "../../../src-main/common/whatif/schema";
import { EDIT_KINDS, kindOf, type WhatifInfo } from "./edits";
import { unitText } from "./format";
import { NumberField } from "./NumberField";

interface Props {
  edit: ScenarioEdit;
  index: number;
  info: WhatifInfo;
  readOnly: boolean;
  onChange(edit: ScenarioEdit): void;
  onRemove(): void;
}

function Select({ value, options, onChange, disabled, testId }: { value: string; options: readonly string[]; onChange(v: string): void; disabled: boolean; testId?: string }) {
  return (
    <select value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      {options.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  );
}

/** Minutes in the form, seconds in the scenario. */
const minutes = (s: number | undefined) => (s === undefined ? undefined : Number((s / 60).toFixed(3)));
const seconds = (m: number | undefined) => (m === undefined ? undefined : Math.round(m * 60 * 1000) / 1000);

export function EditRow({ edit, index, info, readOnly, onChange, onRemove }: Props) {
  const kind = EDIT_KINDS.find((k) => k.id === kindOf(edit))!;
  const lasting = (e: ScenarioEdit & { durationS?: number }) => (
    <label title="minutes; empty: to the end of the horizon">
      for
      <NumberField value={minutes(e.durationS)} optional min={0.001} onChange={(m) => onChange({ ...e, durationS: seconds(m) } as ScenarioEdit)} width={56} />
      min
    </label>
  );

  let fields: ReactNode;
  switch (edit.kind) {
    case "setpoint": {
      const w = info.writable.find((x) => x.tagId === edit.tag);
      fields = (
        <>
          <Select value={edit.tag} options={info.writable.map((x) => x.tagId)} disabled={readOnly} onChange={(tag) => onChange({ ...edit, tag })} testId="edit-tag" />
          <NumberField value={edit.value} onChange={(v) => v !== undefined && onChange({ ...edit, value: v })} testId="edit-value" />
          {w ? (
            <span className="whatif-hint" data-testid="edit-limits">
              {unitText(w.unit)} · limits {w.min}–{w.max}
              {w.maxStep !== undefined ? `, step ≤ ${w.maxStep}` : ""}
              {w.value !== null ? ` · now ${Number(w.value.toPrecision(4))}` : ""}
            </span>
          ) : null}
        </>
      );
      break;
    }
    case "disturbance":
      fields = (
        <>
          <Select value={edit.input} options={info.disturbances} disabled={readOnly} onChange={(input) => onChange({ ...edit, input })} />
          <NumberField value={edit.offsetK} min={-50} max={50} onChange={(v) => v !== undefined && onChange({ ...edit, offsetK: v })} />
          <span className="whatif-hint">K</span>
          {lasting(edit)}
        </>
      );
      break;
    case "lineStop":
      fields = (
        <label>
          for
          <NumberField value={minutes(edit.durationS)} min={0.001} onChange={(m) => m !== undefined && onChange({ ...edit, durationS: seconds(m)! })} width={56} />
          min
        </label>
      );
      break;
    case "parameter": {
      const l = info.latent.find((x) => x.name === edit.name);
      fields = (
        <>
          <Select value={edit.name} options={info.latent.map((x) => x.name)} disabled={readOnly} onChange={(name) => onChange({ ...edit, name })} />
          <NumberField value={edit.value} min={l?.min} max={l?.max} onChange={(v) => v !== undefined && onChange({ ...edit, value: v })} />
          {l ? <span className="whatif-hint">{unitText(l.unit)} [{l.min}, {l.max}]</span> : null}
        </>
      );
      break;
    }
    case "fault":
      if (edit.fault === "fasterDegradation") {
        fields = (
          <>
            <Select value={edit.latent} options={info.latent.filter((l) => l.rateFactor).map((l) => l.name)} disabled={readOnly} onChange={(latent) => onChange({ ...edit, latent })} />
            <NumberField value={edit.factor} min={0} max={1e6} onChange={(v) => v !== undefined && onChange({ ...edit, factor: v })} width={56} />
            <span className="whatif-hint">× the nominal rate</span>
          </>
        );
      } else {
        const options = edit.fault === "valveStuck" ? info.valves : info.sensors;
        fields = (
          <>
            <Select value={edit.tag} options={options} disabled={readOnly} onChange={(tag) => onChange({ ...edit, tag })} />
            <NumberField value={edit.value} optional onChange={(value) => onChange({ ...edit, value })} title={edit.fault === "valveStuck" ? "flow it heads for; empty: where it stands" : "reading it reports; empty: its last"} />
            {lasting(edit)}
          </>
        );
      }
      break;
  }

  return (
    <li className="whatif-edit" data-testid="whatif-edit" data-kind={kind.id}>
      <span className="whatif-edit-index">{index + 1}</span>
      <label title="minutes from the fork">
        at
        <NumberField value={minutes(edit.atS)} min={0} onChange={(m) => m !== undefined && onChange({ ...edit, atS: seconds(m)! })} width={56} testId="edit-at" />
        min
      </label>
      <span className="whatif-edit-kind">{kind.label}</span>
      <fieldset className="whatif-edit-fields" disabled={readOnly}>
        {fields}
      </fieldset>
      {readOnly ? null : (
        <button type="button" className="ghost whatif-remove" title="remove this edit" onClick={onRemove}>
          ×
        </button>
      )}
    </li>
  );
}
