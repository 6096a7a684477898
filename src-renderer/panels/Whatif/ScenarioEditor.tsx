/**
 * The scenario being edited: pick one of the scene's (declared or saved) or start a new one, name it,
 * set its horizon and its timeline of edits; save or delete it (operators). Edits are kept in time order.
 */
import { useState } from "react";
import type { Scenario, ScenarioEdit } from "../../../src-main/common/whatif/schema";
import { EditRow } from "./EditRow";
import { EDIT_KINDS, newEdit, type EditKindId, type WhatifInfo } from "./edits";
import type { ScenarioList } from "./useWhatifInfo";

export const HORIZONS_S = [600, 1800, 3600, 3 * 3600, 12 * 3600, 86_400] as const;
const horizonLabel = (s: number) => (s < 3600 ? `${s / 60} min` : `${s / 3600} h`);

interface Props {
  info: WhatifInfo;
  scenarios: ScenarioList["scenarios"];
  draft: Scenario;
  /** Name of the listed scenario the draft was loaded from, null for a new one. */
  loadedFrom: string | null;
  canSave: boolean;
  busy: boolean;
  notice: { text: string; error: boolean } | null;
  onPick(name: string): void;
  onNew(): void;
  onChange(s: Scenario): void;
  onSave(): void;
  onDelete(): void;
}

const byTime = (edits: ScenarioEdit[]) => edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.atS - b.e.atS || a.i - b.i).map((x) => x.e);

export function ScenarioEditor({ info, scenarios, draft, loadedFrom, canSave, busy, notice, onPick, onNew, onChange, onSave, onDelete }: Props) {
  const [kind, setKind] = useState<EditKindId>("setpoint");
  const listed = scenarios.find((s) => s.name === loadedFrom);
  const horizons = HORIZONS_S.includes(draft.horizonS as (typeof HORIZONS_S)[number]) ? HORIZONS_S : [...HORIZONS_S, draft.horizonS].sort((a, b) => a - b);
  const setEdits = (edits: ScenarioEdit[]) => onChange({ ...draft, edits });

  return (
    <div className="whatif-editor" data-testid="whatif-editor">
      <div className="whatif-row">
        <select data-testid="scenario-select" value={loadedFrom ?? ""} onChange={(e) => (e.target.value ? onPick(e.target.value) : onNew())}>
          <option value="">(new scenario)</option>
          {scenarios.map((s) => (
            <option key={s.name} value={s.name}>
              {s.name}
              {s.origin === "scene" ? " · scene" : ""}
            </option>
          ))}
        </select>
        <button type="button" className="ghost" onClick={onNew} data-testid="scenario-new">
          New
        </button>
        {canSave ? (
          <>
            <button type="button" className="ghost" onClick={onSave} disabled={busy} data-testid="scenario-save">
              Save
            </button>
            {listed?.origin === "saved" ? (
              <button type="button" className="ghost" onClick={onDelete} disabled={busy} data-testid="scenario-delete">
                Delete
              </button>
            ) : null}
          </>
        ) : null}
      </div>
      {notice ? (
        <p className={notice.error ? "whatif-error" : "whatif-note"} data-testid="scenario-notice">
          {notice.text}
        </p>
      ) : null}
      <div className="whatif-row">
        <label>
          Name
          <input value={draft.name} maxLength={64} onChange={(e) => onChange({ ...draft, name: e.target.value })} data-testid="scenario-name" />
        </label>
        <label>
          Horizon
          <select value={draft.horizonS} onChange={(e) => onChange({ ...draft, horizonS: Number(e.target.value) })} data-testid="scenario-horizon">
            {horizons.map((h) => (
              <option key={h} value={h}>
                {horizonLabel(h)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <input
        className="whatif-description"
        placeholder="description"
        value={draft.description ?? ""}
        maxLength={500}
        onChange={(e) => onChange({ ...draft, description: e.target.value || undefined })}
      />
      <ol className="whatif-edits" data-testid="whatif-edits">
        {draft.edits.length === 0 ? <li className="whatif-hint">No edits: the scenario is the baseline.</li> : null}
        {draft.edits.map((edit, i) => (
          <EditRow
            key={i}
            edit={edit}
            index={i}
            info={info}
            readOnly={false}
            onChange={(e) => setEdits(draft.edits.map((x, j) => (j === i ? e : x)))}
            onRemove={() => setEdits(draft.edits.filter((_, j) => j !== i))}
          />
        ))}
      </ol>
      <div className="whatif-row">
        <select value={kind} onChange={(e) => setKind(e.target.value as EditKindId)} data-testid="edit-kind">
          {EDIT_KINDS.map((k) => (
            <option key={k.id} value={k.id}>
              {k.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="ghost"
          data-testid="edit-add"
          onClick={() => {
            const last = draft.edits.reduce((t, e) => Math.max(t, e.atS), 0);
            const e = newEdit(kind, info, Math.min(draft.horizonS, last));
            if (e) setEdits(byTime([...draft.edits, e]));
          }}
        >
          Add edit
        </button>
      </div>
    </div>
  );
}
