/** A small leveled logger for the backend, writing one line per message to stderr. */
type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
let threshold: Level = (process.env.LIGHTPOOL_LOG as Level | undefined) ?? 'info';

export function setLogLevel(level: Level): void {
  threshold = level;
}

function write(level: Level, scope: string, message: string): void {
  if (order[level] < order[threshold]) return;
  process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${scope}] ${message}\n`);
}

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function logger(scope: string): Logger {
  return {
    debug: (m) => write('debug', scope, m),
    info: (m) => write('info', scope, m),
    warn: (m) => write('warn', scope, m),
    error: (m) => write('error', scope, m),
  };
}
