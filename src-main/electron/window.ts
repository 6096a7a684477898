/**
 * The workbench window with Electron's security checklist applied: context isolation, sandbox, no Node
 * in the renderer, a custom protocol instead of file://, the CSP on every response, no navigation away
 * and no new windows.
 */
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { app, BrowserWindow, protocol, shell } from "electron";
import { CONTENT_SECURITY_POLICY } from "../common/security";
import { APP_ORIGIN, APP_SCHEME, isAllowedNavigation, WORKBENCH_WEB_PREFERENCES } from "./security-policy";

const MIME: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".woff2": "font/woff2",
};

/** Must run before app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  const root = normalize(rendererDir);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== "app") return new Response("not found", { status: 404 });
    const rel = url.pathname === "/" ? "index.html" : decodeURIComponent(url.pathname.slice(1));
    const file = normalize(join(root, rel));
    if (!file.startsWith(root + sep)) return new Response("forbidden", { status: 403 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          "content-type": MIME[extname(file)] ?? "application/octet-stream",
          "content-security-policy": CONTENT_SECURITY_POLICY,
          "x-content-type-options": "nosniff",
        },
      });
    } catch {
      return new Response(`not found: ${url.pathname}`, { status: 404 });
    }
  });
}

export function createWorkbenchWindow(preloadPath: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    title: "Twinbench",
    backgroundColor: "#11161c",
    show: false,
    webPreferences: { ...WORKBENCH_WEB_PREFERENCES, preload: preloadPath },
  });
  win.once("ready-to-show", () => win.show());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith("https://")) void shell.openExternal(url);
    return { action: "deny" };
  });
  win.webContents.on("will-navigate", (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  void win.loadURL(`${APP_ORIGIN}/`);
  return win;
}

export function denyWebviewsAndPermissions(): void {
  app.on("web-contents-created", (_event, contents) => {
    contents.on("will-attach-webview", (e) => e.preventDefault());
    contents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  });
}
