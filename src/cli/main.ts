#!/usr/bin/env node
import { reportError } from './output.js';
import { buildProgram } from './program.js';

buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    reportError(err);
    process.exitCode = 1;
  });
