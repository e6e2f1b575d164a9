import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../config/load.js';
import { importConnect } from './import-connect.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const SOURCE = `name=lines
connector.class=FileStreamSource
file=/tmp/in.txt
topic=lines-in
transforms=wrap,route,skip,custom
transforms.wrap.type=org.apache.kafka.connect.transforms.HoistField$Value
transforms.wrap.field=line
transforms.route.type=org.apache.kafka.connect.transforms.RegexRouter
transforms.route.regex=(.*)-in
transforms.route.replacement=$1-out
transforms.skip.type=org.apache.kafka.connect.transforms.Filter
transforms.skip.predicate=marked
transforms.skip.negate=true
transforms.custom.type=com.example.MyTransform
predicates=marked
predicates.marked.type=org.apache.kafka.connect.transforms.predicates.HasHeaderKey
predicates.marked.name=keep
`;

describe('importing a connector with transforms', () => {
  it('gives the named transform list and the pipeline predicates, leaving out what pipe does not run', async () => {
    const result = importConnect([{ path: 'lines.properties', text: SOURCE }], {
      project: 'demo',
      pipeline: 'p',
    });
    const dir = mkdtempSync(join(tmpdir(), 'pipe-import-transforms-'));
    dirs.push(dir);
    for (const [path, text] of [
      ['pipeline.config.yaml', result.projectFile],
      [result.pipelineFile!.path, result.pipelineFile!.text],
    ] as const) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const { desired, diagnostics } = await loadProject(dir, { env: {} });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const T = 'org.apache.kafka.connect.transforms.';
    expect(desired?.connectors[0]?.transforms).toEqual([
      { name: 'wrap', type: `${T}HoistField$Value`, config: { field: 'line' }, negate: false },
      {
        name: 'route',
        type: `${T}RegexRouter`,
        config: { regex: '(.*)-in', replacement: '$1-out' },
        negate: false,
      },
      {
        name: 'skip',
        type: `${T}Filter`,
        config: {},
        negate: true,
        predicate: { name: 'marked', type: `${T}predicates.HasHeaderKey`, config: { name: 'keep' } },
      },
    ]);
    expect(result.notes).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        line: 14,
        message: expect.stringContaining('com.example.MyTransform is not a transform pipe runs'),
      }),
    );
  });
});
