/** Renderer entry: configure zod for our CSP first, then mount the workbench, or explain the missing token. */
import "./api/zodConfig";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { availableTransport } from "./api/transport";
import "./styles.css";

function MissingToken() {
  return (
    <div className="no-token" data-testid="no-token">
      <h1>Twinbench</h1>
      <p>This page needs its access token.</p>
      <p>
        Open the URL printed by <code>twinbench start</code>, including <code>?token=…</code>
      </p>
    </div>
  );
}

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
createRoot(root).render(<StrictMode>{availableTransport() ? <App /> : <MissingToken />}</StrictMode>);
