/**
 * Debian's Chromium driven by playwright-core, set up for a closed, shared machine: no background
 * networking, a fresh profile (playwright's own temp one), config and crash reports in a temp folder,
 * WebGL through SwiftShader.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { tempFolder } from "./temp";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  const home = tempFolder("chromium");
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
      "--use-angle=swiftshader",
      "--enable-unsafe-swiftshader",
      "--ignore-gpu-blocklist",
    ],
    env: { ...process.env, XDG_CONFIG_HOME: home.path, XDG_CACHE_HOME: home.path, HOME: home.path },
  });
  return {
    browser,
    async close() {
      await browser.close();
      home.remove();
    },
  };
}
