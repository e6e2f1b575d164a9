/**
 * Runs a Java main class from a jar set as a child that cannot outlive pipe:
 * a small shell guard holds the JVM and kills it when pipe's end of its stdin
 * closes, which happens even when pipe itself is killed with SIGKILL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

// Background jobs of a non-interactive bash read /dev/null, so the watchdog
// takes pipe's stdin through fd 3 explicitly.
const GUARD = `
exec 3<&0
java "$@" </dev/null &
jp=$!
trap 'kill -TERM $jp 2>/dev/null' TERM INT
( cat <&3 >/dev/null; kill -KILL $jp 2>/dev/null ) &
wait $jp
wait $jp 2>/dev/null
rc=$?
exit $rc
`;

export interface JavaProcess {
  child: ChildProcess;
  /** Resolves with the exit code once the JVM has gone. */
  exited: Promise<number>;
  /** Whether the JVM has gone, for start-up loops that must not wait out their deadline on a dead process. */
  hasExited(): boolean;
  /** SIGTERM, then SIGKILL to the whole group after `graceMs`. */
  stop(graceMs?: number): Promise<number>;
}

export function runJava(opts: {
  classpath: string;
  mainClass: string;
  args: string[];
  jvmArgs?: string[];
  logFile: string;
  cwd?: string;
}): JavaProcess {
  const log = openSync(opts.logFile, 'a');
  const child = spawn(
    'bash',
    ['-c', GUARD, 'pipe-java', ...(opts.jvmArgs ?? []), '-cp', opts.classpath, opts.mainClass, ...opts.args],
    { stdio: ['pipe', log, log], detached: true, cwd: opts.cwd },
  );
  closeSync(log);
  const exited = new Promise<number>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : -1)));
    child.on('error', () => resolve(-1));
  });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // the group is already gone
    }
  };
  // Last resort on a normal exit of pipe: nothing async runs in 'exit'.
  const onExit = () => killGroup('SIGKILL');
  process.on('exit', onExit);
  exited.then(() => process.off('exit', onExit));

  let gone = false;
  exited.then(() => {
    gone = true;
  });
  return {
    child,
    exited,
    hasExited: () => gone,
    async stop(graceMs = 20000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      killGroup('SIGKILL');
      return code;
    },
  };
}

/** The last lines of a JVM's log, for an error that says why it did not start. */
export function logTail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
