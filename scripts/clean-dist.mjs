// dist/ is rebuilt from nothing so a module removed from src/ (or moved out,
// like the benchmarks) never lingers in the published package.
import { rmSync } from 'node:fs';

rmSync(new URL('../dist/', import.meta.url), { recursive: true, force: true });
