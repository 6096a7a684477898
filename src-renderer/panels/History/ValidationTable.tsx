/**
 * Each tag's validation state: which rules it breaks now, since when and why, and (on hover) every rule it
 * is checked against. Tags in trouble come first; a click puts the tag on the chart.
 */
import type { TagValidation } from "../../../src-main/common/api/history";
import { formatAge } from "../../format/value";
import { hostNow } from "../../stores/workbench";
import { formatStamp } from "./range";

export interface ValidationTableProps {
  states: TagValidation[] | null;
  error: string | null;
  charted: ReadonlySet<string>;
  onChart(tagId: string): void;
}

function checksTitle(s: TagValidation): string {
  if (s.checks.length === 0) return "no rules";
  return s.checks.map((c) => `${c.rule}: ${c.detail}${c.rule === "stale" ? "" : c.quarantines ? " (quarantines)" : " (flags only)"}`).join("\n");
}

export function ValidationTable({ states, error, charted, onChart }: ValidationTableProps) {
  if (states === null) return <p className="empty">{error ?? "Loading the validation state…"}</p>;
  const ordered = [...states.filter((s) => !s.ok), ...states.filter((s) => s.ok)];
  const broken = states.length - states.filter((s) => s.ok).length;
  const now = hostNow();
  return (
    <div className="history-validation" data-testid="history-validation" data-broken={broken}>
      <div className="history-validation-summary">
        {broken === 0 ? <span className="ok">every tag passes its rules</span> : <span className="bad">{broken} tag{broken === 1 ? "" : "s"} breaking a rule</span>}
        {error ? <span className="gov-invalid"> · {error}</span> : null}
      </div>
      <div className="gov-scroll">
        <table className="gov-table history-validation-table">
          <thead>
            <tr>
              <th>Tag</th>
              <th>State</th>
              <th>Since</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {ordered.map((s) => (
              <tr
                key={s.tagId}
                data-testid="history-validation-row"
                data-tag-id={s.tagId}
                data-ok={s.ok ? "true" : "false"}
                data-rules={s.active.map((a) => a.rule).join(",")}
                className={`${s.ok ? "" : "broken"} ${charted.has(s.tagId) ? "selected" : ""}`}
                title={checksTitle(s)}
                onClick={() => onChart(s.tagId)}
              >
                <td className="history-validation-tag">{s.tagId}</td>
                <td>
                  {s.ok ? (
                    <span className="history-ok">ok</span>
                  ) : (
                    s.active.map((a) => (
                      <span key={a.rule} className={`gov-rule history-rule ${a.quarantines ? "quarantines" : "flags"}`}>
                        {a.rule}
                      </span>
                    ))
                  )}
                </td>
                <td className="history-since">
                  {s.active[0] ? `${formatStamp(s.active[0].since).slice(11, 19)} (${formatAge(now - s.active[0].since)})` : ""}
                </td>
                <td className="history-why">{s.active.map((a) => a.message.replace(`${s.tagId}: `, "")).join("; ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
