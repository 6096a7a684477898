/**
 * Audit entries, one row each (seq, time, actor, action, target, before → after, reason, hash); a click opens
 * the whole entry: each field on one line, and its link in the hash chain.
 */
import { Fragment, useState } from "react";
import type { AuditEntry } from "../../../src-main/common/api/governance";
import { formatDateTime } from "../Approvals/format";
import { compact, formatAuditTime } from "./filters";

const FIELDS = ["before", "after", "reason", "details"] as const;

export function AuditTable({ entries, firstBadSeq, now }: { entries: readonly AuditEntry[]; firstBadSeq: number | null; now: number }) {
  const [open, setOpen] = useState<number | null>(null);
  return (
    <table className="gov-table audit-table" data-testid="audit-table">
      <thead>
        <tr>
          <th>#</th>
          <th>Time</th>
          <th>Actor</th>
          <th>Action</th>
          <th>Target</th>
          <th>Before → after</th>
          <th>Reason</th>
          <th title="Each entry carries the hash of the one before it">Hash</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => {
          const change = e.before === null && e.after === null ? "" : `${compact(e.before, 60) || "—"} → ${compact(e.after, 60) || "—"}`;
          return (
            <Fragment key={e.seq}>
              <tr
                data-testid="audit-row"
                data-seq={e.seq}
                data-action={e.action}
                data-target={e.target}
                className={`${open === e.seq ? "selected" : ""}${firstBadSeq === e.seq ? " bad" : ""}`}
                onClick={() => setOpen(open === e.seq ? null : e.seq)}
              >
                <td className="num gov-dim">{e.seq}</td>
                <td className="gov-dim" title={formatDateTime(e.time)}>
                  {formatAuditTime(e.time, now)}
                </td>
                <td>{e.actor}</td>
                <td className="tag-key">{e.action}</td>
                <td className="tag-key audit-target" title={e.target}>
                  {e.target}
                </td>
                <td className="value audit-change" title={change}>
                  {change}
                </td>
                <td className="audit-reason" title={e.reason ?? ""}>
                  {e.reason ?? ""}
                </td>
                <td className="gov-id gov-dim" title={`prev ${e.prevHash}\nhash ${e.hash}`}>
                  {e.hash.slice(0, 8)}
                </td>
              </tr>
              {open === e.seq ? (
                <tr className="audit-expanded" data-testid="audit-entry">
                  <td colSpan={8}>
                    <dl className="audit-fields">
                      <dt>time</dt>
                      <dd>{formatDateTime(e.time)}</dd>
                      <dt>target</dt>
                      <dd className="tag-key">{e.target}</dd>
                      {FIELDS.map((f) => (
                        <Fragment key={f}>
                          <dt>{f}</dt>
                          <dd className="value">{compact(e[f], 2_000) || "—"}</dd>
                        </Fragment>
                      ))}
                      <dt>chain</dt>
                      <dd className="gov-id">
                        prev {e.prevHash}
                        <br />
                        hash {e.hash}
                      </dd>
                    </dl>
                  </td>
                </tr>
              ) : null}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
