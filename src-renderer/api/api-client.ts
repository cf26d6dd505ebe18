/**
 * The renderer's side of the one API. Identical over Electron IPC and
 * WebSocket: a transport only moves envelopes; this class matches replies to
 * requests and dispatches streams.
 */
import type { Method, Params, Replies, RequestMessage, ServerMessage, StreamName, Streams } from '../../src-main/api/contract.js';

export interface Transport {
  readonly kind: 'electron-ipc' | 'websocket';
  send(message: RequestMessage): void;
  onMessage(listener: (message: ServerMessage) => void): void;
  /** connection state changes, with a human-readable detail */
  onState(listener: (state: ConnectionState, detail: string) => void): void;
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

export class ApiRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> };

export class ApiClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<StreamName, Set<(data: never) => void>>();
  private readonly stateListeners = new Set<(state: ConnectionState, detail: string) => void>();
  state: ConnectionState = 'connecting';

  constructor(
    readonly transport: Transport,
    private readonly timeoutMs = 30_000,
  ) {
    transport.onMessage((m) => this.dispatch(m));
    transport.onState((state, detail) => {
      this.state = state;
      if (state === 'closed') this.failPending(`connection closed (${detail})`);
      for (const l of this.stateListeners) l(state, detail);
    });
  }

  request<M extends Method>(method: M, params: Params<M>): Promise<Replies[M]> {
    const id = this.nextId++;
    return new Promise<Replies[M]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ApiRequestError('timeout', `${method}: no reply within ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      try {
        this.transport.send({ type: 'request', id, method, params });
      } catch (err) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  on<S extends StreamName>(stream: S, listener: (data: Streams[S]) => void): () => void {
    let set = this.listeners.get(stream);
    if (!set) this.listeners.set(stream, (set = new Set()));
    set.add(listener as (data: never) => void);
    return () => set.delete(listener as (data: never) => void);
  }

  onState(listener: (state: ConnectionState, detail: string) => void): void {
    this.stateListeners.add(listener);
  }

  private dispatch(message: ServerMessage): void {
    if (message.type === 'reply') {
      const p = this.pending.get(message.id);
      if (!p) {
        if (!message.ok) console.warn(`Lightpool API error without a request: ${message.error?.message}`);
        return;
      }
      this.pending.delete(message.id);
      clearTimeout(p.timer);
      if (message.ok) p.resolve(message.result);
      else p.reject(new ApiRequestError(message.error?.code ?? 'failed', message.error?.message ?? 'request failed'));
      return;
    }
    const set = this.listeners.get(message.stream);
    if (set) for (const l of set) (l as (d: unknown) => void)(message.data);
  }

  private failPending(reason: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new ApiRequestError('disconnected', reason));
      this.pending.delete(id);
    }
  }
}
