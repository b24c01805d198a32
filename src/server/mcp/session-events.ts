// Resumable HTTP streams (SEP-1699): each session keeps the last events its streams carried, so a client whose
// stream dropped (or was released by a long call) reconnects with Last-Event-ID and is sent what it missed. The
// store is the session's own: an event id of another session is unknown here, and nothing of it is replayed.
import type { EventStore } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

/** How much one session keeps: past either bound, its oldest events are dropped (they can no longer be resumed from). */
export interface SessionEventLimits {
  maxEvents: number;
  maxBytes: number;
}

export const DEFAULT_EVENT_LIMITS: SessionEventLimits = { maxEvents: 200, maxBytes: 1024 * 1024 };

/**
 * What every session's events may take together (default 64 MiB): past it, the session storing an event drops its
 * own oldest first, so many sessions cannot make the server hold more, and no session evicts another's.
 */
export class EventBudget {
  used = 0;
  constructor(readonly maxBytes = 64 * 1024 * 1024) {}
}

/** How long a client waits before it reconnects a stream the server closed, in ms (sent in the stream's priming event). */
export const RECONNECT_AFTER_MS = 2000;

interface StoredEvent {
  id: string;
  stream: string;
  text: string;
}

export class SessionEventStore implements EventStore {
  private readonly events: StoredEvent[] = [];
  private bytes = 0;
  private seq = 0;

  constructor(
    private readonly limits: SessionEventLimits = DEFAULT_EVENT_LIMITS,
    private readonly budget: EventBudget = new EventBudget(),
  ) {}

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const id = `${streamId}.${++this.seq}`;
    const text = JSON.stringify(message);
    this.events.push({ id, stream: streamId, text });
    this.bytes += text.length;
    this.budget.used += text.length;
    const over = () => this.bytes > this.limits.maxBytes || this.budget.used > this.budget.maxBytes;
    while (this.events.length > this.limits.maxEvents || (over() && this.events.length > 1)) {
      const dropped = this.events.shift()!.text.length;
      this.bytes -= dropped;
      this.budget.used -= dropped;
    }
    return id;
  }

  /** The session ended: its events go, and their bytes return to the budget. */
  release(): void {
    this.budget.used -= this.bytes;
    this.bytes = 0;
    this.events.length = 0;
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return this.events.find((e) => e.id === eventId)?.stream;
  }

  async replayEventsAfter(lastEventId: string, { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> }): Promise<string> {
    const at = this.events.findIndex((e) => e.id === lastEventId);
    if (at < 0) throw new Error("Unknown event id: it is not of this session, or too old to resume from");
    const stream = this.events[at]!.stream;
    for (const e of this.events.slice(at + 1)) {
      // The priming event ({}) only opened the stream; it is not sent again.
      if (e.stream === stream && e.text !== "{}") await send(e.id, JSON.parse(e.text) as JSONRPCMessage);
    }
    return stream;
  }

  /** Events and bytes held now (for tests and the bound's proof). */
  get size(): { events: number; bytes: number } {
    return { events: this.events.length, bytes: this.bytes };
  }
}
