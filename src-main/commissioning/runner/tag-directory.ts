/**
 * Where a suite's tags are read and written. A bare tag reads what the operator sees: scene tags and the
 * suite's plcTags at the PLC; IO list signals the scene lacks (actuator commands, extra sensors) and the
 * ground truth (`truth.*`) at the plant server. `plant:` and `plc:` choose the side: `plant:bufferTank.level`
 * is what the transmitter sends, `plc:bufferTank.level` what the PLC made of it. A PLC shows its IO image at
 * the IO list's NodeIds (the convention the reference soft PLC follows).
 */
import type { Scene, Tag, TagDataType } from "../../common/scene/schema";
import type { IoList, IoSignal } from "../io/io-list";
import type { Side, TagRef } from "../suite/expression";
import type { TagCheck } from "../suite/suite-parse";
import type { RawSuite } from "../suite/suite-schema";
import { truthNodeId } from "../plant/plant-layout";

export interface ResolvedTag {
  /** Unique key: `plant:bufferTank.level` or `plc:bufferTank.level`. */
  key: string;
  side: Side;
  nodeId: string;
  dataType: TagDataType;
  writable: boolean;
  unit?: string;
  range?: [number, number];
}

export class TagDirectory {
  private readonly scene = new Map<string, Tag>();
  private readonly io = new Map<string, IoSignal>();

  constructor(
    scene: Scene,
    ioList: IoList,
    private readonly plantRoot: string,
    private readonly plcTags: RawSuite["plcTags"] = {},
  ) {
    for (const a of scene.assets) for (const [k, t] of Object.entries(a.tags)) this.scene.set(`${a.id}.${k}`, t);
    for (const s of ioList.signals) this.io.set(s.tag, s);
  }

  /** The tag, or a message saying why it cannot be resolved. */
  resolve(ref: TagRef): ResolvedTag | string {
    const side = ref.side ?? (this.scene.has(ref.id) || Object.hasOwn(this.plcTags, ref.id) ? "plc" : "plant");
    const key = `${side}:${ref.id}`;
    const io = this.io.get(ref.id);
    const withIo = (r: ResolvedTag, s: IoSignal | Tag | undefined) => ({ ...r, ...(s?.unit ? { unit: s.unit } : {}), ...(s?.range ? { range: s.range } : {}) });
    if (side === "plant") {
      if (io) return withIo({ key, side, nodeId: io.nodeId, dataType: io.dataType, writable: false }, io);
      if (ref.id.startsWith("truth.")) return { key, side, nodeId: truthNodeId(this.plantRoot, ref.id), dataType: "Double", writable: false };
      return ref.side ? `the plant server has no signal ${ref.id} (not in the IO list)` : `unknown tag: not a scene tag, an IO list signal, a plcTags entry or truth.*`;
    }
    const tag = this.scene.get(ref.id);
    if (tag) return withIo({ key, side, nodeId: tag.nodeId, dataType: tag.dataType, writable: tag.access === "readWrite" }, tag);
    const extra = this.plcTags[ref.id];
    if (extra) return { key, side, nodeId: extra.nodeId, dataType: extra.dataType, writable: extra.writable };
    if (io) return withIo({ key, side, nodeId: io.nodeId, dataType: io.dataType, writable: false }, io);
    return `the PLC has no tag ${ref.id} (not a scene tag, an IO list signal or a plcTags entry)`;
  }

  readonly check: TagCheck = (ref, use) => {
    const r = this.resolve(use === "write" ? { id: ref.id, side: ref.side ?? "plc" } : ref);
    if (typeof r === "string") return r;
    if (use === "write" && !(r.side === "plc" && r.writable)) return `not an operator tag the PLC lets a client write (scene access readWrite, or plcTags writable: true)`;
    return undefined;
  };

  /** The tag or an Error with the reason (for tags already checked at load time). */
  require(ref: TagRef): ResolvedTag {
    const r = this.resolve(ref);
    if (typeof r === "string") throw new Error(`${ref.side ? `${ref.side}:` : ""}${ref.id}: ${r}`);
    return r;
  }
}
