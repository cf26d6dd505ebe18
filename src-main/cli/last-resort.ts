/**
 * The last-resort handler of `lightpool serve`: an error nothing caught (a
 * bug in a callback, a library throwing from an event) is logged and serving
 * goes on, since every request is parsed in a guarded place and one failed
 * callback leaves the rest of the server as it was. Errors that repeat
 * (more than `maxPerMinute` in a minute) mean the process is no longer sound:
 * it then exits with status 70, to be restarted. Only long-running servers
 * install it; a one-shot command fails loudly instead.
 */
import type { Logger } from '../util/log.js';

export function keepServingOnUncaughtErrors(log: Logger, maxPerMinute = 10): void {
  const times: number[] = [];
  const record = (what: string, err: unknown) => {
    const now = Date.now();
    times.push(now);
    while (times.length && now - times[0] > 60_000) times.shift();
    const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
    if (times.length > maxPerMinute) {
      log.error(`${what}: ${text}`);
      log.error(`${times.length} unexpected errors within a minute: exiting (status 70) rather than serving from an unsound state`);
      process.exit(70);
    }
    log.error(`${what}, serving goes on: ${text}`);
  };
  process.on('uncaughtException', (err, origin) => record(`unexpected error (${origin})`, err));
  process.on('unhandledRejection', (reason) => record('unhandled promise rejection', reason));
}
