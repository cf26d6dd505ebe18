/** The Open Recent list, kept in the user-data folder (written atomically). */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MAX_RECENT = 10;

export class RecentFiles {
  private files: string[] = [];

  constructor(private readonly userDataDir: string) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.path, 'utf8'));
      if (Array.isArray(parsed)) this.files = parsed.filter((f): f is string => typeof f === 'string').slice(0, MAX_RECENT);
    } catch {
      this.files = [];
    }
  }

  private get path(): string {
    return join(this.userDataDir, 'recent-files.json');
  }

  list(): readonly string[] {
    return this.files;
  }

  add(file: string): void {
    this.files = [file, ...this.files.filter((f) => f !== file)].slice(0, MAX_RECENT);
    this.save();
  }

  clear(): void {
    this.files = [];
    this.save();
  }

  private save(): void {
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.files, null, 1));
    renameSync(tmp, this.path);
  }
}
