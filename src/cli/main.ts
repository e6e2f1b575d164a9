#!/usr/bin/env node
import { reportError } from './output.js';
import { buildProgram } from './program.js';
import { setYoungGenerationGrowth, youngGenerationSizedByUser } from './worker-heap.js';

// Before any command's modules load: their loading is what grows the young generation.
if (!youngGenerationSizedByUser()) setYoungGenerationGrowth(false);

buildProgram(process.argv.slice(2))
  .then((program) => program.parseAsync(process.argv))
  .catch((err: unknown) => {
    reportError(err);
    process.exitCode = 1;
  });
