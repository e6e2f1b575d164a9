/**
 * The key/value settings of one Connect file (.properties or REST JSON),
 * consumed as they are mapped, so whatever is left at the end is reported
 * rather than silently dropped.
 */

export interface ImportNote {
  level: 'warning' | 'note';
  file: string;
  /** 1-based; 0 when the file has no meaningful line (JSON). */
  line: number;
  message: string;
}

export interface Setting {
  value: string;
  line: number;
}

export class Settings {
  private readonly entries: Map<string, Setting>;

  constructor(
    readonly file: string,
    entries: Iterable<[string, Setting]>,
  ) {
    this.entries = new Map(entries);
  }

  take(key: string): Setting | undefined {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    return entry;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  /** What is not consumed yet, in file order. */
  rest(): [string, Setting][] {
    return [...this.entries].sort((a, b) => a[1].line - b[1].line);
  }

  note(level: ImportNote['level'], line: number, message: string): ImportNote {
    return { level, file: this.file, line, message };
  }
}
