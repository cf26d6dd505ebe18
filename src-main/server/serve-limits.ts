/** The limits that keep one client from starving the others (serve mode). */
export interface ServeLimits {
  /** API WebSocket connections at once (more are refused with 503) */
  maxConnections: number;
  /** bytes queued for one connection beyond which it is disconnected (it does not read) */
  maxQueuedBytes: number;
  /** above this many queued bytes a connection is busy: stream messages coalesce (newest wins) and array events wait */
  busyBytes: number;
  /** stream messages waiting for a busy connection at most (more: disconnected) */
  maxPendingMessages: number;
  /** requests per second per connection, sustained */
  requestsPerSecond: number;
  /** requests per connection at once */
  requestBurst: number;
  /** wrong tokens per address per minute before the address is refused for a while */
  wrongTokensPerMinute: number;
}

export const DEFAULT_LIMITS: ServeLimits = {
  maxConnections: 64,
  maxQueuedBytes: 64 * 1024 * 1024,
  busyBytes: 4 * 1024 * 1024,
  maxPendingMessages: 1000,
  requestsPerSecond: 200,
  requestBurst: 400,
  wrongTokensPerMinute: 10,
};
