import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { register } from './plan.js';

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

async function plan(...args: string[]) {
  return planIn('/nonexistent-pipe-project', ...args);
}

async function planIn(dir: string, ...args: string[]) {
  const err: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const program = new Command('pipe').option('-C, --dir <dir>').exitOverride();
  register(program);
  await program.parseAsync(['-C', dir, 'plan', ...args], { from: 'user' });
  return { stderr: err.join(''), exitCode: process.exitCode };
}

describe('pipe plan flags', () => {
  // No project in that folder: the flags are refused before anything is loaded.
  it('refuses --json with --format markdown instead of choosing one silently', async () => {
    expect(await plan('--json', '--format', 'markdown')).toEqual({
      stderr: 'error[USAGE]: --json and --format markdown ask for two formats: give one\n',
      exitCode: 1,
    });
  });

  it('takes --json with --format json, which say the same', async () => {
    const result = await plan('--json', '--format', 'json');
    expect(result.stderr).toContain('no such folder: /nonexistent-pipe-project');
  });

  it('says in seconds that a broker address which is an HTTP port does not speak Kafka', async () => {
    const http = createServer((_req, res) => res.end());
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const address = `127.0.0.1:${(http.address() as AddressInfo).port}`;
    const dir = mkdtempSync(join(tmpdir(), 'pipe-plan-http-'));
    try {
      mkdirSync(join(dir, 'pipelines'));
      writeFileSync(join(dir, 'pipeline.config.yaml'), `project: p\nkafka: { brokers: "${address}" }\n`);
      writeFileSync(join(dir, 'pipelines', 'p.yaml'), 'topics:\n  t: { partitions: 1 }\n');
      expect(await planIn(dir)).toEqual({
        stderr: `error[KAFKA_UNREACHABLE]: pipeline.config.yaml: kafka.brokers: ${address} does not speak Kafka: it answers in HTTP, not the Kafka protocol (is it a web or REST port?)\n  hint: kafka.brokers takes the brokers' Kafka listeners (host:port, often 9092)\n`,
        exitCode: 1,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });
});
