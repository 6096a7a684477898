/**
 * Electron IPC carrying the API contract: one channel in, one out. Messages are accepted only from
 * frames of our own app origin; everything else goes through the same dispatcher as the WebSocket host.
 */
import { ipcMain, type BrowserWindow, type IpcMainEvent } from "electron";
import { EVENT_NAMES, IPC_TO_MAIN, IPC_TO_RENDERER } from "../common/api/contract";
import { createDispatcher, type CallContext } from "../host/dispatcher";
import type { TwinRuntime } from "../runtime/twin-runtime";
import { isTrustedSender } from "./security-policy";

export function bridgeIpc(runtime: TwinRuntime, win: BrowserWindow): () => void {
  const dispatcher = createDispatcher(runtime.handlers, (err, method) => console.error(`api ${method}:`, err));
  // One context per window: it remembers the session of the latest request, which gates the events.
  const ctx: CallContext = { connectionId: `ipc:${win.webContents.id}`, transport: "ipc" };
  const onRequest = (event: IpcMainEvent, message: unknown) => {
    const frameUrl = event.senderFrame?.url;
    if (!isTrustedSender(frameUrl)) {
      console.error(`refused an IPC message from ${frameUrl || "an unknown frame"}`);
      return;
    }
    if (event.sender.id !== win.webContents.id) {
      console.error(`refused an IPC message from another window (${event.sender.id})`);
      return;
    }
    void dispatcher.handle(message, ctx).then((reply) => {
      if (!event.sender.isDestroyed()) event.sender.send(IPC_TO_RENDERER, reply);
    });
  };
  ipcMain.on(IPC_TO_MAIN, onRequest);
  const offs = EVENT_NAMES.map((name) =>
    runtime.on(name, (payload) => {
      // Events carry plant data: only a logged-in window gets them.
      if (!win.isDestroyed() && runtime.mayReceiveEvents(ctx.session)) win.webContents.send(IPC_TO_RENDERER, { type: "event", name, payload });
    }),
  );
  return () => {
    ipcMain.off(IPC_TO_MAIN, onRequest);
    offs.forEach((off) => off());
  };
}
