#!/usr/bin/env node
// The command line's flags are its own words: core code names remedies and
// reasons by code (src/errors.ts `Remedy`, the plan's reason codes) and
// src/cli words them. This check fails when a string in src/ outside src/cli
// names a flag that src/cli defines. Comments may name flags: they explain.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = new URL('..', import.meta.url).pathname;
const src = join(root, 'src');
const FLAG = /--[a-z][a-z-]+/g;

function sources(dir) {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.gen.ts'))
    .map((f) => join(dir, f));
}

/** Every string and template piece of a file, with its line. */
function literals(file) {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out = [];
  const visit = (node) => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      out.push({ text: node.text, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const cli = join(src, 'cli');
const flags = new Set();
for (const file of sources(cli)) {
  for (const { text } of literals(file)) for (const m of text.matchAll(FLAG)) flags.add(m[0]);
}

const found = [];
for (const file of sources(src).filter((f) => !f.startsWith(`${cli}/`))) {
  for (const { text, line } of literals(file)) {
    for (const m of text.matchAll(FLAG)) {
      if (flags.has(m[0])) found.push(`${relative(root, file)}:${line}: names the CLI flag ${m[0]}`);
    }
  }
}
if (found.length > 0) {
  process.stderr.write(
    `${found.join('\n')}\nCLI flags belong in src/cli: return a code (a Remedy, a reason) that the CLI words.\n`,
  );
  process.exit(1);
}
