/**
 * A YAML file read into plain data while remembering where every value and
 * key came from, so any later check (schema, cross-file) can point at a line
 * and column. References (`${…}`) are resolved on the way, at the scalar that
 * holds them, so their errors point there too.
 */
import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  Scalar,
} from 'yaml';
import type { Diagnostic } from './diagnostics.js';
import { hasReference, type InterpolationContext, interpolate } from './interpolate.js';

/** Offsets into the file's text of a value and, for map entries, of its key. */
export interface Place {
  value: number;
  key?: number;
}

export interface YamlSource {
  /** Relative to the project folder. */
  file: string;
  text: string;
  lines: LineCounter;
  /** The parsed document's root node; undefined when the file is empty or has syntax errors. */
  root?: Node;
  document: Document;
}

/** Data read from (part of) a YAML file, with a JSON pointer → place index. */
export interface Located {
  value: unknown;
  places: Map<string, Place>;
  /** Pointers of values that came from `${env:…}`, `${file:…}` or secret variables. */
  sensitive: Set<string>;
  /** Original text of integers too large for a JavaScript number, by pointer. */
  bigIntegers: Map<string, string>;
}

export function parseYaml(file: string, text: string): { source: YamlSource; diagnostics: Diagnostic[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const source: YamlSource = { file, text, lines, document: doc };
  // After the first syntax error the parser's view of the rest is guesswork: later errors are mostly echoes.
  const diagnostics = doc.errors.slice(0, 1).map((err): Diagnostic => {
    let { line, col } = lines.linePos(err.pos[0]);
    // An unclosed bracket or quote is noticed at the end of the file: show the last line that has text.
    while (line > 1 && lineText(text, lines, line).trim() === '') {
      line--;
      col = lineText(text, lines, line).length + 1;
    }
    return {
      severity: 'error',
      code: 'CONFIG_YAML',
      message: `YAML syntax: ${firstLine(err.message)}`,
      file,
      line,
      column: col,
      path: '',
      excerpt: lineText(text, lines, line),
      ...(/\$\{$|^\$\{/.test(lineText(text, lines, line).slice(Math.max(0, col - 2), col + 1))
        ? { suggestion: 'inside { … } or [ … ], a ${…} reference needs quotes: "${env:NAME}"' }
        : {}),
    };
  });
  if (diagnostics.length === 0 && doc.contents) source.root = doc.contents as Node;
  return { source, diagnostics };
}

export function position(source: YamlSource, offset: number): { line: number; column: number } {
  const { line, col } = source.lines.linePos(offset);
  return { line, column: col };
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
export function nodeAt(root: Node | undefined, keys: readonly string[]): Node | undefined {
  let node: unknown = root;
  for (const key of keys) {
    if (!isMap(node)) return undefined;
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    node = pair?.value ?? undefined;
  }
  return (node ?? undefined) as Node | undefined;
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
  node: Node | undefined,
  options: ReadOptions,
  diagnostics: Diagnostic[],
): Located {
  const located: Located = {
    value: undefined,
    places: new Map(),
    sensitive: new Set(),
    bigIntegers: new Map(),
  };
  located.value = node === undefined ? undefined : walk(node, options.at ?? '', true);
  return located;

  function walk(n: unknown, pointer: string, top: boolean): unknown {
    if (isAlias(n)) return walk(n.resolve(source.document), pointer, false);
    if (isMap(n)) {
      const place = located.places.get(pointer);
      located.places.set(pointer, { ...place, value: n.range?.[0] ?? place?.value ?? 0 });
      const out: Record<string, unknown> = {};
      for (const pair of n.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        if (top && options.skip?.has(key)) continue;
        const child = `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
        const keyOffset = (keyNode as Node | null)?.range?.[0] ?? 0;
        located.places.set(child, { key: keyOffset, value: keyOffset });
        out[key] = pair.value === null ? null : walk(pair.value, child, false);
      }
      return out;
    }
    if (isSeq(n)) {
      const place = located.places.get(pointer);
      located.places.set(pointer, { ...place, value: n.range?.[0] ?? 0 });
      return n.items.map((item, i) => {
        const child = `${pointer}/${i}`;
        located.places.set(child, { value: (item as Node | null)?.range?.[0] ?? 0 });
        return walk(item, child, false);
      });
    }
    if (isScalar(n)) {
      const place = located.places.get(pointer);
      const start = n.range?.[0] ?? 0;
      located.places.set(pointer, { ...place, value: start });
      return scalarValue(n, pointer, start);
    }
    return null;
  }

  function scalarValue(n: Scalar, pointer: string, start: number): unknown {
    const value = n.value;
    if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
      located.bigIntegers.set(pointer, source.text.slice(start, n.range?.[1] ?? start).trim());
    }
    if (typeof value !== 'string' || !options.interpolation || !hasReference(value)) return value;
    const plain = n.type === Scalar.PLAIN;
    const result = interpolate(value, plain, options.interpolation);
    if (!result.ok) {
      const at = referenceOffset(source.text, start, n.range?.[1] ?? start, value, result.index);
      diagnostics.push({
        severity: 'error',
        code: 'CONFIG_INTERPOLATION',
        message: result.message,
        file: source.file,
        ...position(source, at),
        path: dottedPath(pointer),
      });
      return value;
    }
    if (result.sensitive) located.sensitive.add(pointer);
    return result.value;
  }
}

/** Where in the file the faulty reference starts: the same reference text within the scalar's source. */
function referenceOffset(text: string, start: number, end: number, value: string, index: number): number {
  const fragment = value.slice(index, value.indexOf('}', index) + 1 || undefined);
  const found = text.slice(start, end).indexOf(fragment);
  return found < 0 ? start : start + found;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

function lineText(text: string, lines: LineCounter, line: number): string {
  const start = lines.lineStarts[line - 1] ?? 0;
  const next = lines.lineStarts[line];
  return text.slice(start, next === undefined ? undefined : next).replace(/\r?\n$/, '');
}
