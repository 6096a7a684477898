/**
 * The IO list as the plant server serves it: each signal's tag, NodeId and direction (seen from the PLC), its
 * live value and quality, its force (force / release) and its fault (inject / clear). Engineers see the
 * actions; everybody sees the values.
 */
import { Fragment, useState } from "react";
import type { FaultSpecInput, IoRow } from "../../../src-main/common/api/commissioning";
import { FaultEditor } from "./FaultEditor";
import { formatIoValue } from "./format";

export interface IoActions {
  force(tag: string, value: number | boolean): void;
  release(tag: string): void;
  inject(spec: FaultSpecInput): void;
  clear(tag: string): void;
  problem(message: string): void;
}

export function IoTable(props: { rows: IoRow[]; canAct: boolean; busy: boolean; actions: IoActions }) {
  const [editing, setEditing] = useState<string | null>(null);
  const columns = props.canAct ? 5 : 4;
  return (
    <table className="cx-io" data-testid="io-table">
      <thead>
        <tr>
          <th>Signal · NodeId</th>
          <th>Dir</th>
          <th className="cx-num">Value</th>
          <th>Forced</th>
          {props.canAct && <th>Fault</th>}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <Fragment key={row.tag}>
            <tr data-testid="io-row" data-tag={row.tag} data-quality={row.quality} data-forced={row.forced !== undefined} data-fault={row.fault?.spec.kind ?? ""}>
              <td className="cx-tag" title={`${row.tag} · ${row.nodeId}${row.description ? `\n${row.description}` : ""}`}>
                {row.tag}
                <div className="cx-node" data-testid="io-node">
                  {row.nodeId}
                </div>
              </td>
              <td className={`cx-dir cx-dir-${row.direction}`}>{row.direction === "input" ? "IN" : "OUT"}</td>
              <td className={`cx-num cx-q-${row.quality}`} data-testid="io-value" title={row.status}>
                {formatIoValue(row, row.value)}
                {row.quality !== "good" && <span className="cx-status">{row.status}</span>}
              </td>
              <td>
                <ForceCell row={row} canAct={props.canAct} busy={props.busy} actions={props.actions} />
              </td>
              {props.canAct && (
                <td className="cx-fault-cell">
                  {row.fault ? (
                    <>
                      <span className={`cx-fault-badge cx-fault-${row.fault.state}`} data-testid="fault-badge" title={row.fault.description}>
                        {row.fault.spec.kind}
                        {row.fault.state === "scheduled" ? " (scheduled)" : ""}
                      </span>
                      <button className="ghost" data-testid="fault-clear" disabled={props.busy} onClick={() => props.actions.clear(row.tag)}>
                        Clear
                      </button>
                    </>
                  ) : (
                    <button className="ghost" data-testid="fault-open" onClick={() => setEditing(editing === row.tag ? null : row.tag)}>
                      Fault…
                    </button>
                  )}
                </td>
              )}
            </tr>
            {props.canAct && editing === row.tag && !row.fault && (
              <tr className="cx-editor-row">
                <td colSpan={columns}>
                  <FaultEditor
                    row={row}
                    busy={props.busy}
                    onCancel={() => setEditing(null)}
                    onProblem={props.actions.problem}
                    onInject={(spec) => {
                      setEditing(null);
                      props.actions.inject(spec);
                    }}
                  />
                </td>
              </tr>
            )}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}

function ForceCell(props: { row: IoRow; canAct: boolean; busy: boolean; actions: IoActions }) {
  const { row } = props;
  const [text, setText] = useState("");
  const forced = row.forced !== undefined ? formatIoValue(row, row.forced) : null;
  if (!props.canAct || !row.forceable) return <span data-testid="io-forced">{forced ?? ""}</span>;
  if (forced !== null) {
    return (
      <span className="cx-forced">
        <span className="cx-forced-value" data-testid="io-forced">
          {forced}
        </span>
        <button className="ghost" data-testid="force-release" disabled={props.busy} onClick={() => props.actions.release(row.tag)}>
          Release
        </button>
      </span>
    );
  }
  if (row.dataType === "Boolean") {
    return (
      <span className="cx-force">
        <button className="ghost" data-testid="force-on" disabled={props.busy} onClick={() => props.actions.force(row.tag, true)}>
          ON
        </button>
        <button className="ghost" data-testid="force-off" disabled={props.busy} onClick={() => props.actions.force(row.tag, false)}>
          OFF
        </button>
      </span>
    );
  }
  const submit = () => {
    const n = Number(text);
    if (text.trim() === "" || !Number.isFinite(n)) props.actions.problem(`force ${row.tag}: "${text}" is not a number`);
    else props.actions.force(row.tag, n);
  };
  return (
    <span className="cx-force">
      <input className="cx-input cx-short" data-testid="force-input" value={text} placeholder={row.unit ?? "value"} onChange={(e) => setText(e.target.value)} onKeyDown={(e) => e.key === "Enter" && submit()} />
      <button className="ghost" data-testid="force-set" disabled={props.busy} onClick={submit}>
        Force
      </button>
    </span>
  );
}
