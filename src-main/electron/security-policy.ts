/**
 * The Electron security settings as plain data, so a test can prove each default stays on without
 * starting Electron (which cannot run on every machine that runs the tests).
 */
export const APP_SCHEME = "twinbench";
export const APP_ORIGIN = `${APP_SCHEME}://app`;

/** webPreferences of the workbench window: the renderer gets no Node, no Electron, only the preload bridge. */
export const WORKBENCH_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
} as const;

/** Only frames of our own app origin may talk to the main process. */
export function isTrustedSender(frameUrl: string | undefined): boolean {
  if (!frameUrl) return false;
  try {
    const url = new URL(frameUrl);
    return url.protocol === `${APP_SCHEME}:` && url.host === "app";
  } catch {
    return false;
  }
}

/** Navigation is allowed only inside the app; anything else is refused (and https links open outside). */
export function isAllowedNavigation(target: string): boolean {
  return isTrustedSender(target);
}
