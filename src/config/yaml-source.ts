/**
 * A YAML file read into plain data while remembering where every value and
 * key came from, so any later check (schema, cross-file) can point at a line
 * and column. References (`${…}`) are resolved on the way, at the scalar that
 * holds them, so their errors point there too.
 *
 * `yaml` parses and composes the document (scalars typed by the YAML 1.2 core
 * schema, tags, anchors, aliases, merge keys, line starts); the document is
 * then turned into a small tree of maps, lists and scalars with source
 * offsets, aliases sharing the node they name, so that the walk that resolves
 * references and any position lookup are plain loops.
 */

import {
  type Alias,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type ParsedNode,
  parseDocument,
  Scalar,
  type YAMLError,
  type YAMLMap,
} from 'yaml';
import type { Diagnostic } from './diagnostics.js';
import { hasReference, type InterpolationContext, interpolate } from './interpolate.js';

/**
 * How many values aliases and merge keys may add to a file by repeating what
 * an anchor names: far above shared settings (a thousand connectors merging a
 * hundred settings each), far below what takes a noticeable time to read. An
 * alias bomb (anchors that repeat anchors, nine times each, nine levels deep)
 * would otherwise expand to hundreds of millions of values.
 */
export const MAX_ALIAS_EXPANSION = 100_000;

export type YamlNode =
  | { kind: 'map'; start: number; entries: YamlEntry[]; byKey?: Map<string, YamlEntry> }
  | { kind: 'seq'; start: number; items: YamlNode[] }
  | { kind: 'scalar'; start: number; end: number; value: unknown };

type MapNode = Extract<YamlNode, { kind: 'map' }>;

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
  /** Offsets where lines start, filled in while parsing. */
  lines: LineCounter;
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
  for (const { node, at } of [...located.layers].reverse()) {
    const prefix = segmentsOf(at);
    if (prefix.some((s, i) => segments[i] !== s)) continue;
    let current: YamlNode | undefined = node;
    let key: number | undefined;
    for (const segment of segments.slice(prefix.length)) {
      if (current?.kind === 'map') {
        const entry = entryOf(current, segment);
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

/**
 * The entry of a map by key. Maps are indexed on first lookup: a file with
 * tens of thousands of topics is looked up once per topic, and a linear
 * search each time made loading it quadratic.
 */
function entryOf(map: MapNode, key: string): YamlEntry | undefined {
  if (map.byKey === undefined) {
    map.byKey = new Map();
    // A key written in place comes before merged ones, and wins.
    for (const entry of map.entries) if (!map.byKey.has(entry.key)) map.byKey.set(entry.key, entry);
  }
  return map.byKey.get(key);
}

export function parseYaml(file: string, text: string): { source: YamlSource; diagnostics: Diagnostic[] } {
  const source: YamlSource = { file, text, lines: new LineCounter() };
  const document = parseDocument(text, {
    lineCounter: source.lines,
    merge: true,
    // Checked while building the tree, to say where the first one is.
    uniqueKeys: false,
    prettyErrors: false,
  });
  const [error] = document.errors;
  if (error !== undefined) return { source, diagnostics: [yamlError(source, error.pos[0], wording(error))] };
  const diagnostics: Diagnostic[] = [];
  const root =
    document.contents === null ? undefined : new TreeBuilder(source, diagnostics).build(document.contents);
  if (diagnostics.length === 0 && root !== undefined) source.root = root;
  return { source, diagnostics };
}

function wording(error: YAMLError): string {
  switch (error.code) {
    case 'MULTIPLE_DOCS':
      return 'YAML syntax: a file holds one YAML document: remove the second "---"';
    // `yaml` catches the stack overflow of a file nested hundreds of levels deep.
    case 'RESOURCE_EXHAUSTION':
      return 'YAML nested too deeply to read';
    default:
      return `YAML syntax: ${firstLine(error.message)}`;
  }
}

/** Stops building the tree at the first problem that makes the rest meaningless. */
class Abandon extends Error {}

class TreeBuilder {
  /**
   * The node each anchor names (a later anchor of the same name replaces it,
   * as YAML says) and how many values it stands for, aliases in it expanded.
   */
  private readonly anchors = new Map<string, { node: YamlNode; size: number }>();
  /** Values built so far, an alias counting as the values it repeats. */
  private values = 0;
  /** Of those, the ones repeated through aliases. */
  private repeated = 0;

  constructor(
    private readonly source: YamlSource,
    private readonly diagnostics: Diagnostic[],
  ) {}

  build(node: ParsedNode): YamlNode | undefined {
    try {
      return this.node(node);
    } catch (err) {
      if (err instanceof Abandon) return undefined;
      throw err;
    }
  }

  private node(node: ParsedNode): YamlNode {
    if (isAlias(node)) return this.alias(node);
    const before = this.values;
    let built: YamlNode;
    if (isMap(node)) built = { kind: 'map', start: node.range[0], entries: this.entries(node) };
    else if (isSeq(node))
      built = { kind: 'seq', start: node.range[0], items: node.items.map((i) => this.node(i)) };
    else built = { kind: 'scalar', start: node.range[0], end: node.range[1], value: node.value };
    this.values++;
    if (node.anchor) this.anchors.set(node.anchor, { node: built, size: this.values - before });
    return built;
  }

  private alias(node: Alias.Parsed): YamlNode {
    const anchor = this.anchors.get(node.source);
    // The name, after the `*`.
    const at = node.range[0] + 1;
    if (anchor === undefined) {
      this.diagnostics.push(yamlError(this.source, at, `YAML syntax: alias *${node.source} names no anchor`));
      return { kind: 'scalar', start: at, end: node.range[1], value: null };
    }
    this.values += anchor.size;
    this.repeated += anchor.size;
    if (this.repeated > MAX_ALIAS_EXPANSION) {
      this.abandon(
        at,
        `YAML aliases in this file repeat more than ${MAX_ALIAS_EXPANSION.toLocaleString('en')} values (*${node.source} stands for ${anchor.size.toLocaleString('en')}): anchors that repeat anchors grow without bound`,
      );
    }
    return anchor.node;
  }

  private abandon(offset: number, message: string): never {
    this.diagnostics.push(yamlError(this.source, offset, message));
    throw new Abandon();
  }

  private entries(map: YAMLMap.Parsed): YamlEntry[] {
    const entries: YamlEntry[] = [];
    const merged: YamlEntry[] = [];
    const seen = new Map<string, number>();
    for (const pair of map.items) {
      const keyNode = this.node(pair.key ?? emptyAt(map.range[0]));
      const value = this.node(pair.value ?? emptyAt(keyNode.start));
      if (isMergeKey(pair.key) && this.merge(value, merged)) continue;
      const key = keyNode.kind === 'scalar' ? keyText(keyNode.value) : JSON.stringify(plainData(keyNode));
      const first = seen.get(key);
      if (first !== undefined) {
        const { line } = position(this.source, first);
        this.diagnostics.push(
          yamlError(
            this.source,
            keyNode.start,
            `YAML syntax: map keys must be unique: "${key}" is also on line ${line}`,
          ),
        );
      }
      seen.set(key, keyNode.start);
      entries.push({ key, keyStart: keyNode.start, value });
    }
    return [...entries, ...merged.filter((m) => !seen.has(m.key))];
  }

  /**
   * `<<: *defaults` (or a list of them) copies the entries of other maps that
   * this one does not set itself: the merge key YAML 1.1 had and shared
   * settings keep using; earlier maps in the list win. Entries point at where
   * they were written.
   */
  private merge(value: YamlNode, into: YamlEntry[]): boolean {
    const sources = value.kind === 'seq' ? value.items : [value];
    if (!sources.every((n) => n.kind === 'map')) return false;
    const taken = new Set(into.map((e) => e.key));
    for (const source of sources as MapNode[]) {
      for (const entry of source.entries) {
        if (taken.has(entry.key)) continue;
        taken.add(entry.key);
        into.push(entry);
      }
    }
    return true;
  }
}

/** `<<` written plainly: `yaml` types it as the merge key (a quoted "<<" is an ordinary key). */
function isMergeKey(key: ParsedNode | null): boolean {
  return isScalar(key) && typeof key.value === 'symbol';
}

function keyText(value: unknown): string {
  return typeof value === 'symbol' ? (value.description ?? '') : String(value);
}

/** A missing key or value, as YAML reads it: null, where it would have been written. */
function emptyAt(offset: number): Scalar.Parsed {
  return Object.assign(new Scalar(null), { range: [offset, offset, offset], source: '' }) as Scalar.Parsed;
}

function plainData(node: YamlNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(plainData);
  return Object.fromEntries(node.entries.map((e) => [e.key, plainData(e.value)]));
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
    summary: message,
    source: { file: source.file, line, column, pointer: '', excerpt },
    ...(atReference
      ? { suggestion: 'inside { … } or [ … ], a ${…} reference needs quotes: "${env:NAME}"' }
      : {}),
  };
}

export function position(source: YamlSource, offset: number): { line: number; column: number } {
  const { line, col } = source.lines.linePos(offset);
  return line === 0 ? { line: 1, column: offset + 1 } : { line, column: col };
}

function lineText(source: YamlSource, line: number): string {
  const starts = source.lines.lineStarts;
  const next = starts[line];
  return source.text
    .slice(starts[line - 1] ?? 0, next === undefined ? undefined : next)
    .replace(/\r?\n$/, '');
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').trim();
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
    node = entryOf(node, key)?.value;
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
          if (options.interpolation && hasReference(entry.key)) {
            entry.key = resolvedKey(entry, options.interpolation);
            delete n.byKey;
          }
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

  function resolvedKey(entry: YamlEntry, context: InterpolationContext): string {
    const result = interpolate(entry.key, context);
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
