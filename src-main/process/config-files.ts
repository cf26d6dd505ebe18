/**
 * Reads a configuration file for `lightpool process` the way ctapipe's Tool
 * does (`ctapipe.core.Tool.load_config_file`): the format comes from the
 * suffix — `.yaml`/`.yml` (the `yaml` package, read as YAML 1.1 like PyYAML), `.toml`
 * (`smol-toml`), `.json` — and anything else is refused with the suffixes
 * ctapipe knows. ctapipe's Python config files (`.py`) are programs, not
 * data, and are refused too. The result is the plain object the file holds;
 * what it means is decided in process-config.ts.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parse as parseToml } from 'smol-toml';

export class ProcessConfigError extends Error {}

export interface ConfigFile {
  file: string;
  data: Record<string, unknown>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses config text of the format named by `file`'s suffix. */
export function parseConfigText(text: string, file: string): ConfigFile {
  const suffix = extname(file).toLowerCase();
  let data: unknown;
  try {
    switch (suffix) {
      case '.yaml':
      case '.yml':
        // YAML 1.1, as PyYAML (ctapipe's reader) reads it: yes/no/on/off are booleans there too
        data = parseYaml(text, { version: '1.1' }) ?? {};
        break;
      case '.toml':
        data = parseToml(text);
        break;
      case '.json':
        data = JSON.parse(text);
        break;
      case '.py':
        throw new ProcessConfigError(`${file}: Python config files are not supported (they are programs); write the same settings as YAML, TOML or JSON`);
      default:
        throw new ProcessConfigError(`${file}: the config file is not in a known format; the file should end in one of: yml, yaml, toml, json`);
    }
  } catch (err) {
    if (err instanceof ProcessConfigError) throw err;
    const what = suffix === '.json' ? 'JSON' : suffix === '.toml' ? 'TOML' : 'YAML';
    throw new ProcessConfigError(`${file}: not valid ${what} (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
  }
  if (!isObject(data))
    throw new ProcessConfigError(
      `${file}: the config must be a mapping of sections (e.g. ImageProcessor: ...), not ${Array.isArray(data) ? 'a list' : typeof data}`,
    );
  return { file, data };
}

export function readConfigFile(file: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ProcessConfigError(`${file}: cannot read the config (${code === 'ENOENT' ? 'file not found' : String(code ?? err)})`);
  }
  return parseConfigText(text, file);
}
