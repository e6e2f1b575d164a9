import { setFlagsFromString } from 'node:v8';

const SEMI_SPACE_FLAG = /--(max|min)-semi-space-size|--semi-space-growth-factor/;

/** Whether the user sized V8's young generation themselves (node options or NODE_OPTIONS). */
export function youngGenerationSizedByUser(
  execArgv: readonly string[],
  nodeOptions: string | undefined,
): boolean {
  return [...execArgv, nodeOptions ?? ''].some((arg) => SEMI_SPACE_FLAG.test(arg));
}

/**
 * Keeps V8's young generation at its initial two 1 MB semi-spaces instead of
 * letting it grow to two 16 MB ones. Loading the CLI's modules and starting
 * connectors keeps many young objects alive, which V8 reads as a reason to
 * grow it to its maximum; a worker then holds 32 MB of semi-spaces it hardly
 * uses while idle (a quarter of its RSS with 20 idle connectors). The limit
 * has to be set before that growth: `--max-semi-space-size` is read only when
 * the heap is created, so it could not come from here, but the growth factor
 * is read at each growth. A user's own young-generation flags win.
 * Only for start-up: once the worker is ready, letYoungGenerationGrow.
 */
export function keepYoungGenerationSmall(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env['NODE_OPTIONS'],
): boolean {
  if (youngGenerationSizedByUser(execArgv, nodeOptions)) return false;
  setFlagsFromString('--semi-space-growth-factor=1');
  return true;
}

/** V8's own growth factor (`semi_space_growth_factor` in V8 12.4's flag-definitions.h, Node 22). */
const V8_SEMI_SPACE_GROWTH_FACTOR = 2;

/**
 * Gives V8 back its own young-generation growth once start-up is over. Moving
 * records keeps batches alive until they are acknowledged; in two 1 MB
 * semi-spaces they would be scavenged over and over and promoted to the old
 * generation, so under load the young generation has to be free to grow. An
 * idle worker's few survivors do not make it grow. A user's own
 * young-generation flags are left as they are.
 */
export function letYoungGenerationGrow(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env['NODE_OPTIONS'],
): boolean {
  if (youngGenerationSizedByUser(execArgv, nodeOptions)) return false;
  setFlagsFromString(`--semi-space-growth-factor=${V8_SEMI_SPACE_GROWTH_FACTOR}`);
  return true;
}
