/**
 * Electron IPC carrying the API contract: one channel in, one out. Messages are accepted only from
 * frames of our own app origin; everything else goes through the same dispatcher as the WebSocket host.
 */
import { ipcMain, type BrowserWindow, type IpcMainEvent } from "electron";
import { EVENT_NAMES, IPC_TO_MAIN, IPC_TO_RENDERER } from "../common/api/contract";
import { createDispatcher } from "../host/dispatcher";
import type { TwinRuntime } from "../runtime/twin-runtime";
import { isTrustedSender } from "./security-policy";

export function bridgeIpc(runtime: TwinRuntime, win: BrowserWindow): () => void {
  const dispatcher = createDispatcher(runtime.handlers, (err, method) => console.error(`api ${method}:`, err));
  const onRequest = (event: IpcMainEvent, message: unknown) => {
    const frameUrl = event.senderFrame?.url;
    if (!isTrustedSender(frameUrl)) {
      console.error(`refused an IPC message from ${frameUrl || "an unknown frame"}`);
      return;
    }
    void dispatcher.handle(message, { connectionId: `ipc:${event.sender.id}`, transport: "ipc" }).then((reply) => {
      if (!event.sender.isDestroyed()) event.sender.send(IPC_TO_RENDERER, reply);
    });
  };
  ipcMain.on(IPC_TO_MAIN, onRequest);
  const offs = EVENT_NAMES.map((name) =>
    runtime.on(name, (payload) => {
      if (!win.isDestroyed()) win.webContents.send(IPC_TO_RENDERER, { type: "event", name, payload });
    }),
  );
  return () => {
    ipcMain.off(IPC_TO_MAIN, onRequest);
    offs.forEach((off) => off());
  };
}
