/**
 * The narrow slices of an OPC UA session the plant layer's services need. A node-opcua ClientSession is all
 * of them; tests hand in fakes. Browsing never gets a write method, and nothing but the typed writer does.
 */
import type { BrowseDescriptionOptions, BrowseResult, DataValue, ReadValueIdOptions, StatusCode, WriteValueOptions } from "node-opcua";

export interface ReadSession {
  read(nodesToRead: ReadValueIdOptions[]): Promise<DataValue[]>;
}

export interface BrowseSession extends ReadSession {
  browse(nodesToBrowse: BrowseDescriptionOptions[]): Promise<BrowseResult[]>;
  browseNext(continuationPoints: Buffer[], releaseContinuationPoints: boolean): Promise<BrowseResult[]>;
}

export interface WriteSession extends BrowseSession {
  write(nodesToWrite: WriteValueOptions[]): Promise<StatusCode[]>;
}

/** The session of a connection right now; undefined while it is not connected. */
export type SessionSource<S> = () => S | undefined;
