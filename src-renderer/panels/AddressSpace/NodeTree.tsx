/**
 * The address-space tree: a row per node (expand arrow when it has children, display name, node class,
 * DataType of variables), children shown when expanded and loaded on first expansion.
 *
 * Test hooks: rows data-testid="as-node" data-node-id data-node-class; "as-node-toggle" on the arrow.
 */
import type { BrowsedNode } from "../../../src-main/common/api/connections";
import { ROOT, type NodeTree as Tree } from "./useNodeTree";

interface Props {
  tree: Tree;
  selected: string | null;
  onSelect(nodeId: string): void;
}

export function NodeTree({ tree, selected, onSelect }: Props) {
  return (
    <ul className="as-tree" role="tree" data-testid="as-tree">
      <Level tree={tree} parent={ROOT} depth={0} selected={selected} onSelect={onSelect} />
    </ul>
  );
}

function Level({ tree, parent, depth, selected, onSelect }: Props & { parent: string; depth: number }) {
  const state = tree.children.get(parent);
  if (!state || state.status === "loading") return <li className="as-note" style={{ paddingLeft: indent(depth) }}>Loading…</li>;
  if (state.status === "failed") {
    return (
      <li className="as-note as-error" style={{ paddingLeft: indent(depth) }} data-testid="as-tree-error">
        {state.error}
      </li>
    );
  }
  if (state.nodes.length === 0) return <li className="as-note" style={{ paddingLeft: indent(depth) }}>(no children)</li>;
  return (
    <>
      {state.nodes.map((n) => (
        <Row key={n.nodeId} node={n} tree={tree} depth={depth} selected={selected} onSelect={onSelect} />
      ))}
    </>
  );
}

function Row({ node, tree, depth, selected, onSelect }: Omit<Props, "tree"> & { tree: Tree; node: BrowsedNode; depth: number }) {
  const open = tree.expanded.has(node.nodeId);
  return (
    <>
      <li
        role="treeitem"
        aria-expanded={node.hasChildren ? open : undefined}
        aria-selected={selected === node.nodeId}
        className={`as-row${selected === node.nodeId ? " selected" : ""}`}
        style={{ paddingLeft: indent(depth) }}
        data-testid="as-node"
        data-node-id={node.nodeId}
        data-node-class={node.nodeClass}
        title={node.nodeId}
        onClick={() => onSelect(node.nodeId)}
      >
        {node.hasChildren ? (
          <button
            type="button"
            className="as-toggle"
            aria-label={open ? "Collapse" : "Expand"}
            data-testid="as-node-toggle"
            onClick={(e) => {
              e.stopPropagation();
              tree.toggle(node.nodeId);
            }}
          >
            {open ? "▾" : "▸"}
          </button>
        ) : (
          <span className="as-toggle" />
        )}
        <span className={`as-class as-class-${node.nodeClass}`}>{CLASS_MARK[node.nodeClass] ?? "?"}</span>
        <span className="as-name">{node.displayName || node.browseName}</span>
        {node.dataType ? <span className="as-type">{node.dataType}</span> : null}
      </li>
      {open && node.hasChildren ? <Level tree={tree} parent={node.nodeId} depth={depth + 1} selected={selected} onSelect={onSelect} /> : null}
    </>
  );
}

/** Short lower-case words: a single "O" reads as a zero in a monospace font. */
const CLASS_MARK: Record<string, string> = { Object: "obj", Variable: "var", Method: "fn", ObjectType: "otype", VariableType: "vtype", ReferenceType: "ref", DataType: "dtype", View: "view" };

const indent = (depth: number) => `${6 + depth * 14}px`;
