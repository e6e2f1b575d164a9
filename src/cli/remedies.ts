/**
 * The command line's words for the remedies core errors name by code
 * (src/errors.ts `Remedy`): the flags and commands exist only here.
 */
import type { Remedy } from '../errors.js';

function words(remedy: Remedy): string {
  switch (remedy) {
    case 'auto_approve':
      return 'run again with --auto-approve';
    case 'longer_wait':
      return 'raise --wait-timeout';
    case 'save_plan':
      return 'save a plan with `pipe plan --out FILE`';
    case 'plan_again':
      return 'run `pipe plan --out FILE` again and review the new plan';
    case 'other_kafka_version':
      return '--kafka-version picks another release';
    case 'overwrite_project':
      return '--force overwrites them; -C DIR initialises another folder';
    case 'allow_replace':
      return '--allow-replace';
    case 'allow_delete':
      return '--allow-delete';
    case 'force_unlock':
      return 'if its holder is gone for good, `pipe force-unlock LOCK_ID` breaks the lock';
  }
}

/** `run again with --allow-replace and --allow-delete`; the other remedies one after another. */
export function remedyText(remedies: readonly Remedy[]): string | undefined {
  const allow = remedies.filter((r) => r === 'allow_replace' || r === 'allow_delete').map(words);
  const other = remedies.filter((r) => r !== 'allow_replace' && r !== 'allow_delete').map(words);
  const parts = [...(allow.length ? [`run again with ${allow.join(' and ')}`] : []), ...other];
  return parts.length ? parts.join('; ') : undefined;
}
