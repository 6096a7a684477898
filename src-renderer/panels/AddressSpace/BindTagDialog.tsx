/**
 * "Bind to tag…": points a scene tag (an existing one, or a new one in an asset) at the selected node. The
 * scene data type comes from the node; unit and range are offered from its EngineeringUnits and EURange. The
 * host saves it to the scene file (comments kept) and audits it; it takes effect after a restart. A writable
 * tag needs an admin: the host refuses others, and its message is shown as it is.
 *
 * Test hooks: data-testid="bind-dialog", "bind-tag" (select), "bind-submit", "bind-result", "bind-error".
 */
import { useMemo, useState } from "react";
import type { NodeDetails } from "../../../src-main/common/api/connections";
import { TagRole } from "../../../src-main/common/scene/schema";
import { call } from "../../api/request";
import { connectApi } from "../../api/transport";
import { useWorkbench } from "../../stores/workbench";
import { errorText } from "./format";

const NEW = "__new__";

interface Props {
  connection: string;
  node: NodeDetails;
  onClose(): void;
}

export function BindTagDialog({ connection, node, onClose }: Props) {
  const scene = useWorkbench((s) => s.scene);
  const tags = useWorkbench((s) => s.tags);
  const isAdmin = useWorkbench((s) => s.user?.role === "admin");
  const [choice, setChoice] = useState(node.boundTags[0] ?? tags[0]?.id ?? NEW);
  const [assetId, setAssetId] = useState(scene?.assets[0]?.id ?? "");
  const [key, setKey] = useState("");
  const [role, setRole] = useState<TagRole>("measurement");
  const [unit, setUnit] = useState(node.engineeringUnits?.displayName ?? "");
  const [useRange, setUseRange] = useState(node.euRange !== undefined);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);

  const byAsset = useMemo(() => {
    const groups = new Map<string, typeof tags>();
    for (const t of tags) groups.set(t.assetId, [...(groups.get(t.assetId) ?? []), t]);
    return [...groups.entries()];
  }, [tags]);
  const chosen = tags.find((t) => t.id === choice);
  const creating = choice === NEW;

  const submit = () => {
    const target = creating ? { assetId, key: key.trim(), role } : { assetId: chosen!.assetId, key: chosen!.key };
    setBusy(true);
    setOutcome(null);
    call(connectApi(), "scene.bindTag", {
      connection,
      nodeId: node.nodeId,
      ...target,
      ...(unit.trim() ? { unit: unit.trim() } : {}),
      ...(useRange && node.euRange ? { range: [node.euRange.low, node.euRange.high] as [number, number] } : {}),
      ...(reason.trim() ? { reason: reason.trim() } : {}),
    })
      .then((r) => setOutcome({ ok: true, text: `${r.tagId} ${r.created ? "added to" : "rebound in"} ${r.file}. ${r.restartRequired ? "It takes effect when the workbench restarts on this scene." : ""}` }))
      .catch((err: unknown) => setOutcome({ ok: false, text: errorText(err) }))
      .finally(() => setBusy(false));
  };

  return (
    <div className="as-overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <form
        className="as-dialog"
        role="dialog"
        aria-modal="true"
        aria-label="Bind a scene tag"
        data-testid="bind-dialog"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <header className="as-details-header">
          <strong>Bind a scene tag to {node.displayName || node.nodeId}</strong>
          <span className="as-spacer" />
          <button type="button" className="ghost" aria-label="Close" onClick={onClose}>
            ✕
          </button>
        </header>
        <p className="as-note">
          {node.nodeId} on {connection}, as {node.bindable.dataType}
        </p>
        <label>
          Scene tag
          <select value={choice} onChange={(e) => setChoice(e.target.value)} data-testid="bind-tag">
            {byAsset.map(([asset, list]) => (
              <optgroup key={asset} label={scene?.assets.find((a) => a.id === asset)?.name ?? asset}>
                {list.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.id} ({t.nodeId}){t.writable ? " · writable: admin only" : ""}
                  </option>
                ))}
              </optgroup>
            ))}
            <option value={NEW}>New tag in an asset…</option>
          </select>
        </label>
        {creating ? (
          <div className="as-row-fields">
            <label>
              Asset
              <select value={assetId} onChange={(e) => setAssetId(e.target.value)} data-testid="bind-asset">
                {(scene?.assets ?? []).map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Key
              <input value={key} onChange={(e) => setKey(e.target.value)} pattern="[A-Za-z][A-Za-z0-9_]*" maxLength={64} required placeholder="e.g. level" data-testid="bind-key" />
            </label>
            <label>
              Role
              <select value={role} onChange={(e) => setRole(e.target.value as TagRole)}>
                {TagRole.options.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            </label>
          </div>
        ) : null}
        {chosen?.writable && !isAdmin ? <p className="as-note as-warn">{chosen.id} is writable: rebinding it moves where approved writes land, so only an admin may.</p> : null}
        <div className="as-row-fields">
          <label>
            Unit
            <input value={unit} onChange={(e) => setUnit(e.target.value)} maxLength={40} placeholder="keep" />
          </label>
          {node.euRange ? (
            <label className="as-check">
              <input type="checkbox" checked={useRange} onChange={(e) => setUseRange(e.target.checked)} />
              Range [{node.euRange.low}, {node.euRange.high}] from EURange
            </label>
          ) : null}
        </div>
        <label>
          Reason (for the audit trail)
          <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} placeholder="optional" />
        </label>
        <div className="as-buttons">
          <button type="submit" className="as-button" disabled={busy || (!creating && !chosen)} data-testid="bind-submit">
            {busy ? "Saving…" : "Save to the scene file"}
          </button>
          <button type="button" className="ghost" onClick={onClose}>
            {outcome?.ok ? "Close" : "Cancel"}
          </button>
        </div>
        {outcome ? (
          <p className={outcome.ok ? "as-ok" : "as-error"} data-testid={outcome.ok ? "bind-result" : "bind-error"}>
            {outcome.text}
          </p>
        ) : null}
      </form>
    </div>
  );
}
