/**
 * A YAML file read into plain data while remembering where every value and
 * key came from, so any later check (schema, cross-file) can point at a line
 * and column. References (`${…}`) are resolved on the way, at the scalar that
 * holds them, so their errors point there too.
 *
 * js-yaml's event stream (offsets, no document model) does the parsing: it is
 * an order of magnitude faster than building `yaml` documents, which matters
 * for projects of a thousand files. `yaml` is asked only to word a syntax
 * error, where its messages are the clearer.
 */

import { createRequire } from 'node:module';
import {
  boolCoreTag,
  EVENT_ID,
  type Event,
  floatCoreTag,
  getScalarValue,
  intCoreTag,
  NOT_RESOLVED,
  nullCoreTag,
  parseEvents,
  SCALAR_STYLE,
  type ScalarEvent,
  YAMLException,
} from 'js-yaml';
import type { Diagnostic } from './diagnostics.js';
import { hasReference, type InterpolationContext, interpolate } from './interpolate.js';

export type YamlNode =
  | { kind: 'map'; start: number; entries: YamlEntry[] }
  | { kind: 'seq'; start: number; items: YamlNode[] }
  | { kind: 'scalar'; start: number; end: number; value: unknown };

export interface YamlEntry {
  key: string;
  keyStart: number;
  value: YamlNode;
}

/** Offsets into the file's text of a value and, for map entries, of its key. */
export interface Place {
  value: number;
  key?: number;
}

export interface YamlSource {
  /** Relative to the project folder. */
  file: string;
  text: string;
  /** The document's root; undefined when the file is empty or has syntax errors. */
  root?: YamlNode;
  lineStarts?: number[];
}

/** Data read from (part of) a YAML file, and the trees to find where each value came from. */
export interface Located {
  value: unknown;
  /** Later layers win: an environment overlay is read over the base settings. */
  layers: { node: YamlNode; at: string }[];
  /** Pointers of values that came from `${env:…}`, `${file:…}` or secret variables. */
  sensitive: Set<string>;
  /** Original text of integers too large for a JavaScript number, by pointer. */
  bigIntegers: Map<string, string>;
  /** Pointers of values written as one reference and nothing else (see coerceReferences). */
  references: Set<string>;
  /** Secret values' text with their references unresolved, by pointer (see `interpolate`). */
  sealed: Map<string, string>;
}

/**
 * Where the value at a JSON pointer was written. Looked up on demand rather
 * than indexed up front: only diagnostics and resource origins need it.
 */
export function placeOf(located: Located, pointer: string): Place | undefined {
  const segments = segmentsOf(pointer);
  for (let l = located.layers.length - 1; l >= 0; l--) {
    const { node, at } = located.layers[l]!;
    const prefix = segmentsOf(at);
    if (prefix.some((s, i) => segments[i] !== s)) continue;
    let current: YamlNode | undefined = node;
    let key: number | undefined;
    for (const segment of segments.slice(prefix.length)) {
      if (current?.kind === 'map') {
        const entry: YamlEntry | undefined = current.entries.find((e) => e.key === segment);
        key = entry?.keyStart;
        current = entry?.value;
      } else if (current?.kind === 'seq') {
        key = undefined;
        current = current.items[Number(segment)];
      } else {
        current = undefined;
      }
      if (current === undefined) break;
    }
    if (current !== undefined)
      return key === undefined ? { value: current.start } : { key, value: current.start };
  }
  return undefined;
}

export function parseYaml(file: string, text: string): { source: YamlSource; diagnostics: Diagnostic[] } {
  const source: YamlSource = { file, text };
  let events: Event[];
  try {
    events = parseEvents(text, {});
  } catch (err) {
    if (!(err instanceof YAMLException)) throw err;
    return { source, diagnostics: [syntaxError(source, err)] };
  }
  const diagnostics: Diagnostic[] = [];
  const documents = events.filter((e) => e.type === EVENT_ID.DOCUMENT).length;
  if (documents > 1) {
    const second = /^---/m.exec(text.slice(text.indexOf('---') >= 0 ? 0 : text.length));
    diagnostics.push(
      yamlError(source, second?.index ?? 0, 'a file holds one YAML document: remove the second "---"'),
    );
    return { source, diagnostics };
  }
  const root = new TreeBuilder(source, events, diagnostics).document();
  if (diagnostics.length === 0 && root !== undefined) source.root = root;
  return { source, diagnostics };
}

class TreeBuilder {
  private i = 0;
  private readonly anchors = new Map<string, YamlNode>();

  constructor(
    private readonly source: YamlSource,
    private readonly events: Event[],
    private readonly diagnostics: Diagnostic[],
  ) {}

  document(): YamlNode | undefined {
    if (this.events[this.i]?.type === EVENT_ID.DOCUMENT) this.i++;
    const first = this.events[this.i];
    if (first === undefined || first.type === EVENT_ID.POP) return undefined;
    return this.node();
  }

  private node(): YamlNode {
    const event = this.events[this.i++]!;
    let node: YamlNode;
    switch (event.type) {
      case EVENT_ID.SCALAR:
        node = this.scalar(event);
        break;
      case EVENT_ID.MAPPING:
        node = { kind: 'map', start: event.start, entries: this.entries() };
        break;
      case EVENT_ID.SEQUENCE: {
        const items: YamlNode[] = [];
        while (this.events[this.i]!.type !== EVENT_ID.POP) items.push(this.node());
        this.i++;
        node = { kind: 'seq', start: event.start, items };
        break;
      }
      case EVENT_ID.ALIAS: {
        const name = this.source.text.slice(event.anchorStart, event.anchorEnd);
        const target = this.anchors.get(name);
        if (target) return target;
        this.diagnostics.push(yamlError(this.source, event.anchorStart, `alias *${name} names no anchor`));
        return { kind: 'scalar', start: event.anchorStart, end: event.anchorEnd, value: null };
      }
      default:
        throw new Error(`unexpected YAML event ${event.type}`);
    }
    if (event.anchorStart >= 0)
      this.anchors.set(this.source.text.slice(event.anchorStart, event.anchorEnd), node);
    return node;
  }

  private entries(): YamlEntry[] {
    const entries: YamlEntry[] = [];
    const merged: YamlEntry[] = [];
    const seen = new Map<string, number>();
    while (this.events[this.i]!.type !== EVENT_ID.POP) {
      const keyNode = this.node();
      const value = this.node();
      const key = keyNode.kind === 'scalar' ? String(keyNode.value) : JSON.stringify(plainData(keyNode));
      if (key === '<<' && keyNode.kind === 'scalar' && this.merge(value, merged)) continue;
      const first = seen.get(key);
      if (first !== undefined) {
        const { line } = position(this.source, first);
        this.diagnostics.push(
          yamlError(this.source, keyNode.start, `map keys must be unique: "${key}" is also on line ${line}`),
        );
      }
      seen.set(key, keyNode.start);
      entries.push({ key, keyStart: keyNode.start, value });
    }
    this.i++;
    return [...entries, ...merged.filter((m) => !seen.has(m.key))];
  }

  /**
   * `<<: *defaults` (or a list of them) copies the entries of other maps that
   * this one does not set itself: the merge key YAML 1.1 had and shared
   * settings keep using. Entries point at where they were written.
   */
  private merge(value: YamlNode, into: YamlEntry[]): boolean {
    const sources = value.kind === 'seq' ? value.items : [value];
    if (!sources.every((n) => n.kind === 'map')) return false;
    for (const source of sources as Extract<YamlNode, { kind: 'map' }>[]) {
      for (const entry of source.entries) if (!into.some((e) => e.key === entry.key)) into.push(entry);
    }
    return true;
  }

  private scalar(event: ScalarEvent): YamlNode {
    const text = getScalarValue(this.source.text, event);
    const quoted = event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED;
    // A quoted value is shown from its opening quote, where the reader sees it begin.
    const start =
      event.valueStart >= 0
        ? event.valueStart - (quoted ? 1 : 0)
        : Math.max(event.anchorStart, event.tagStart, 0);
    const end = event.valueEnd >= 0 ? event.valueEnd : start;
    const plain = event.style === SCALAR_STYLE.PLAIN;
    const tag = event.tagStart >= 0 ? this.source.text.slice(event.tagStart, event.tagEnd) : '';
    const value = tag === '!!str' || (!plain && tag === '') ? text : resolvePlain(text);
    return { kind: 'scalar', start, end, value };
  }
}

/** YAML 1.2 core schema, as an untagged plain scalar is read. */
function resolvePlain(text: string): unknown {
  for (const tag of [nullCoreTag, boolCoreTag, intCoreTag, floatCoreTag]) {
    const value: unknown = tag.resolve(text, false, tag.tagName);
    if (value !== NOT_RESOLVED) return value;
  }
  return text;
}

function plainData(node: YamlNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(plainData);
  return Object.fromEntries(node.entries.map((e) => [e.key, plainData(e.value)]));
}

/** Loaded on the first syntax error only: importing it costs more than parsing a thousand valid files. */
let wordingParser: typeof import('yaml') | undefined;

function syntaxError(source: YamlSource, err: YAMLException): Diagnostic {
  // yaml words syntax errors more helpfully ("Flow map … must end with a }"); js-yaml is the fallback.
  wordingParser ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  const worded = wordingParser.parseDocument(source.text, { prettyErrors: false }).errors[0];
  if (worded) return yamlError(source, worded.pos[0], firstLine(worded.message));
  return yamlError(source, err.mark?.position ?? 0, err.reason);
}

function yamlError(source: YamlSource, offset: number, message: string): Diagnostic {
  let { line, column } = position(source, offset);
  // An unclosed bracket or quote is noticed at the end of the file: show the last line that has text.
  while (line > 1 && lineText(source, line).trim() === '') {
    line--;
    column = lineText(source, line).length + 1;
  }
  const excerpt = lineText(source, line);
  const atReference = /\$\{$|^\$\{/.test(excerpt.slice(Math.max(0, column - 2), column + 1));
  return {
    severity: 'error',
    code: 'CONFIG_YAML',
    summary: `YAML syntax: ${message}`,
    source: { file: source.file, line, column, pointer: '', excerpt },
    ...(atReference
      ? { suggestion: 'inside { … } or [ … ], a ${…} reference needs quotes: "${env:NAME}"' }
      : {}),
  };
}

export function position(source: YamlSource, offset: number): { line: number; column: number } {
  const starts = lineStarts(source);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

function lineStarts(source: YamlSource): number[] {
  if (!source.lineStarts) {
    const starts = [0];
    for (let i = source.text.indexOf('\n'); i >= 0; i = source.text.indexOf('\n', i + 1)) starts.push(i + 1);
    source.lineStarts = starts;
  }
  return source.lineStarts;
}

function lineText(source: YamlSource, line: number): string {
  const starts = lineStarts(source);
  const next = starts[line];
  return source.text
    .slice(starts[line - 1] ?? 0, next === undefined ? undefined : next)
    .replace(/\r?\n$/, '');
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

export function pointerOf(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

export function segmentsOf(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** `topics.orders.partitions` for `/topics/orders/partitions`. */
export function dottedPath(pointer: string): string {
  return segmentsOf(pointer).join('.');
}

/** The node at a path of map keys, or undefined. */
export function nodeAt(root: YamlNode | undefined, keys: readonly string[]): YamlNode | undefined {
  let node = root;
  for (const key of keys) {
    if (node?.kind !== 'map') return undefined;
    node = node.entries.find((e) => e.key === key)?.value;
  }
  return node;
}

export interface ReadOptions {
  /** Resolves references; when absent, `${…}` stays as written. */
  interpolation?: InterpolationContext;
  /** Pointer the node's data is filed under (an environment overlay reads into the root's pointers). */
  at?: string;
  /** Top-level keys to leave out (read separately). */
  skip?: ReadonlySet<string>;
}

export function readNode(
  source: YamlSource,
  node: YamlNode | undefined,
  options: ReadOptions,
  diagnostics: Diagnostic[],
): Located {
  const at = options.at ?? '';
  const located: Located = {
    value: undefined,
    layers: node === undefined ? [] : [{ node, at }],
    sensitive: new Set(),
    bigIntegers: new Map(),
    sealed: new Map(),
    references: new Set(),
  };
  // The path is kept as segments and turned into a pointer only for the rare values that need one.
  const path: string[] = [];
  located.value = node === undefined ? undefined : walk(node, true);
  return located;

  function pointer(): string {
    return at + pointerOf(path);
  }

  function walk(n: YamlNode, top: boolean): unknown {
    switch (n.kind) {
      case 'map': {
        const out: Record<string, unknown> = {};
        for (const entry of n.entries) {
          if (top && options.skip?.has(entry.key)) continue;
          // Names may be built from variables (`orders-${var:region}`); the tree keeps the resolved name so
          // positions are found under the name the data carries.
          if (options.interpolation && hasReference(entry.key)) entry.key = resolvedKey(entry);
          path.push(entry.key);
          out[entry.key] = walk(entry.value, false);
          path.pop();
        }
        return out;
      }
      case 'seq':
        return n.items.map((item, i) => {
          path.push(String(i));
          const value = walk(item, false);
          path.pop();
          return value;
        });
      case 'scalar':
        return scalarValue(n);
    }
  }

  function resolvedKey(entry: YamlEntry): string {
    const result = interpolate(entry.key, options.interpolation!);
    if (result.ok) return String(result.value);
    diagnostics.push({
      severity: 'error',
      code: 'CONFIG_INTERPOLATION',
      summary: result.message,
      source: { file: source.file, ...position(source, entry.keyStart), pointer: pointer() },
    });
    return entry.key;
  }

  function scalarValue(n: Extract<YamlNode, { kind: 'scalar' }>): unknown {
    const value = n.value;
    if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
      located.bigIntegers.set(pointer(), source.text.slice(n.start, n.end).trim());
    }
    if (typeof value !== 'string' || !options.interpolation || !hasReference(value)) return value;
    const result = interpolate(value, options.interpolation);
    if (!result.ok) {
      diagnostics.push({
        severity: 'error',
        code: 'CONFIG_INTERPOLATION',
        summary: result.message,
        source: {
          file: source.file,
          ...position(source, referenceOffset(source.text, n.start, n.end, value, result.index)),
          pointer: pointer(),
        },
      });
      return value;
    }
    if (result.sensitive) located.sensitive.add(pointer());
    if (result.sealed !== undefined) located.sealed.set(pointer(), result.sealed);
    if (result.whole) located.references.add(pointer());
    return result.value;
  }
}

/** Where in the file the faulty reference starts: the same reference text within the scalar's source. */
function referenceOffset(text: string, start: number, end: number, value: string, index: number): number {
  const fragment = value.slice(index, value.indexOf('}', index) + 1 || undefined);
  const found = text.slice(start, end).indexOf(fragment);
  return found < 0 ? start : start + found;
}
