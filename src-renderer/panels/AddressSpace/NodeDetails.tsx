/**
 * The selected node in full, read from the server: identity, class, DataType, access, value with its
 * quality and timestamps, EngineeringUnits and EURange, and the scene tags bound to it. Re-read on demand.
 *
 * Test hooks: data-testid="node-details" data-node-id; rows data-testid="node-attr" data-attr (the attribute
 * name); data-testid="node-refresh", "bind-open".
 */
import type { NodeDetails as Details } from "../../../src-main/common/api/connections";
import { formatNodeValue, formatRange, formatTimestamp } from "./format";

interface Props {
  node: Details | null;
  error: string | null;
  loading: boolean;
  canBind: boolean;
  onRefresh(): void;
  onBind(): void;
}

export function NodeDetails({ node, error, loading, canBind, onRefresh, onBind }: Props) {
  if (error) return <p className="as-note as-error" data-testid="node-error">{error}</p>;
  if (!node) return <p className="as-note">{loading ? "Reading…" : "Select a node to see its attributes."}</p>;
  const eu = node.engineeringUnits;
  const rows: [string, string][] = [
    ["NodeId", node.nodeId],
    ["BrowseName", node.browseName],
    ["DisplayName", node.displayName],
    ["NodeClass", node.nodeClass],
  ];
  if (node.description) rows.push(["Description", node.description]);
  if (node.nodeClass === "Variable") {
    rows.push(
      ["DataType", `${node.dataType ?? "–"}${node.valueRank !== undefined && node.valueRank >= 1 ? ` [${node.valueRank === 1 ? "array" : `rank ${node.valueRank}`}]` : ""}`],
      ["AccessLevel", node.accessLevel?.join(", ") || "–"],
      ["UserAccessLevel", node.userAccessLevel?.join(", ") || "–"],
      ["Value", formatNodeValue(node.value)],
      ["Status", node.status ? `${node.status}${node.quality ? ` (${node.quality})` : ""}` : "–"],
      ["SourceTimestamp", formatTimestamp(node.sourceTs)],
      ["ServerTimestamp", formatTimestamp(node.serverTs)],
      ["EngineeringUnits", eu ? `${eu.displayName}${eu.description && eu.description !== eu.displayName ? ` (${eu.description})` : ""}` : "–"],
      ["EURange", formatRange(node.euRange)],
    );
    if (node.instrumentRange) rows.push(["InstrumentRange", formatRange(node.instrumentRange)]);
    if (node.minimumSamplingIntervalMs !== undefined) rows.push(["MinimumSamplingInterval", `${node.minimumSamplingIntervalMs} ms`]);
  }
  rows.push(["Bound scene tags", node.boundTags.join(", ") || "none"]);
  return (
    <div className="as-details" data-testid="node-details" data-node-id={node.nodeId}>
      <header className="as-details-header">
        <strong>{node.displayName || node.browseName}</strong>
        <span className="as-spacer" />
        <button type="button" className="ghost" disabled={loading} data-testid="node-refresh" onClick={onRefresh}>
          {loading ? "Reading…" : "Read again"}
        </button>
        {canBind ? (
          <button
            type="button"
            className="as-button"
            disabled={!node.bindable.dataType}
            title={node.bindable.reason ?? `bind a scene tag to this node (as ${node.bindable.dataType})`}
            data-testid="bind-open"
            onClick={onBind}
          >
            Bind to tag…
          </button>
        ) : null}
      </header>
      <table className="as-attrs">
        <tbody>
          {rows.map(([name, value]) => (
            <tr key={name} data-testid="node-attr" data-attr={name}>
              <th>{name}</th>
              <td className={name === "Value" && node.quality && node.quality !== "good" ? `as-q-${node.quality}` : undefined}>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!node.bindable.dataType && node.bindable.reason ? <p className="as-note">Not bindable: {node.bindable.reason}</p> : null}
    </div>
  );
}
