#!/usr/bin/env node
import { reportError } from './output.js';
import { buildProgram } from './program.js';

buildProgram(process.argv.slice(2))
  .then((program) => program.parseAsync(process.argv))
  .catch((err: unknown) => {
    reportError(err);
    process.exitCode = 1;
  });
