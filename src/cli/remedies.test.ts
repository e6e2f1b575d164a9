import { describe, expect, it } from 'vitest';
import { PipeError } from '../errors.js';
import { formatError } from './output.js';
import { remedyText } from './remedies.js';

describe('remedies', () => {
  it('word the permissions as one run-again with their flags', () => {
    expect(remedyText(['allow_replace', 'allow_delete'])).toBe(
      'run again with --allow-replace and --allow-delete',
    );
    expect(remedyText([])).toBeUndefined();
  });

  it('follow the core hint in a reported error', () => {
    const err = new PipeError('APPLY_REFUSED', 'refusing to apply: topic.t (it is marked protect: true)', {
      meta: { hint: 'nothing was changed; if this is intended, allow it', remedies: ['allow_delete'] },
    });
    expect(formatError(err)).toBe(
      'error[APPLY_REFUSED]: refusing to apply: topic.t (it is marked protect: true)\n' +
        '  hint: nothing was changed; if this is intended, allow it: run again with --allow-delete',
    );
  });
});
