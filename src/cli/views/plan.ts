/**
 * The plan in the format a command was asked for. JSON is the plan file's
 * own shape (src/plan/plan-json.ts: apply reads it back, so it is core);
 * human and Markdown are words for people and live here.
 */
import type { Plan, PlanSummary } from '../../plan/model.js';
import { planJsonText } from '../../plan/plan-json.js';
import { renderHuman } from './plan-human.js';
import { renderMarkdown } from './plan-markdown.js';
import { wantsColour } from './terminal.js';

export type PlanFormat = 'human' | 'json' | 'markdown';

export interface RenderOptions {
  /** `--show-unmanaged`: list the connectors on Kafka Connect runtimes that no pipe project manages. */
  showUnmanaged?: boolean;
}

export function renderPlan(plan: Plan, format: PlanFormat, options: RenderOptions = {}): string {
  const showUnmanaged = options.showUnmanaged ?? false;
  switch (format) {
    case 'json':
      return planJsonText(plan, { withUnmanaged: showUnmanaged });
    case 'markdown':
      return renderMarkdown(plan, { showUnmanaged });
    case 'human':
      return renderHuman(plan, { colour: wantsColour(process.stdout), showUnmanaged });
  }
}

/** `Apply complete: 1 added, 0 changed, 0 destroyed.` */
export function doneLine(verb: string, s: PlanSummary): string {
  return `${verb} complete: ${s.add} added, ${s.change} changed, ${s.destroy} destroyed.`;
}
