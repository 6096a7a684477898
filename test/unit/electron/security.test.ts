// Electron's security defaults, checked as data and in the built preload (Electron itself cannot run here).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { IPC_CHANNEL_PREFIX, IPC_TO_MAIN, IPC_TO_RENDERER } from "../../../src-main/common/api/channels";
import { CONTENT_SECURITY_POLICY } from "../../../src-main/common/security";
import { isAllowedNavigation, isTrustedSender, WORKBENCH_WEB_PREFERENCES } from "../../../src-main/electron/security-policy";

describe("Electron security defaults", () => {
  it("keeps context isolation and the sandbox on, Node integration off", () => {
    assert.equal(WORKBENCH_WEB_PREFERENCES.contextIsolation, true);
    assert.equal(WORKBENCH_WEB_PREFERENCES.sandbox, true);
    assert.equal(WORKBENCH_WEB_PREFERENCES.nodeIntegration, false);
    assert.equal(WORKBENCH_WEB_PREFERENCES.webSecurity, true);
    assert.equal(WORKBENCH_WEB_PREFERENCES.webviewTag, false);
  });

  it("has a strict CSP: own scripts only, no eval, no plugins, no framing", () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split("; ").map((d) => [d.split(" ")[0]!, d]));
    assert.equal(directives.get("script-src"), "script-src 'self'");
    assert.equal(directives.get("object-src"), "object-src 'none'");
    assert.equal(directives.get("frame-ancestors"), "frame-ancestors 'none'");
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-eval|(^|\s)\*(\s|;|$)|https?:/);
  });

  it("the renderer's own page carries the same CSP", () => {
    const html = readFileSync("src-renderer/index.html", "utf8");
    assert.match(html, /http-equiv="Content-Security-Policy"/);
    assert.match(html, /script-src 'self'/);
  });

  it("accepts IPC only from the app origin and refuses navigation elsewhere", () => {
    assert.equal(isTrustedSender("twinbench://app/"), true);
    assert.equal(isTrustedSender("twinbench://app/index.html"), true);
    for (const url of [undefined, "", "file:///etc/passwd", "https://evil.example/", "twinbench://other/", "twinbench://app.evil/", "not a url"]) {
      assert.equal(isTrustedSender(url), false, String(url));
    }
    assert.equal(isAllowedNavigation("https://example.com/"), false);
  });

  it("the preload exposes one global on two fixed channels and nothing raw", () => {
    const source = readFileSync("src-main/preload/index.ts", "utf8");
    assert.equal(source.match(/exposeInMainWorld\(/g)?.length, 1);
    assert.match(source, /exposeInMainWorld\("twinbench"/);
    assert.ok(IPC_TO_MAIN.startsWith(IPC_CHANNEL_PREFIX) && IPC_TO_RENDERER.startsWith(IPC_CHANNEL_PREFIX));
    const channelUses = [...source.matchAll(/ipcRenderer\.(\w+)\(([^,)]*)/g)].map((m) => `${m[1]}(${m[2]})`);
    assert.deepEqual(channelUses.sort(), ["on(IPC_TO_RENDERER", "removeListener(IPC_TO_RENDERER", "send(IPC_TO_MAIN"].map((s) => `${s})`).sort());
    assert.doesNotMatch(source, /exposeInMainWorld\([^)]*ipcRenderer\s*[,)]/);
  });
});
