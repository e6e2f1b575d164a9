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

export function renderPlan(plan: Plan, format: PlanFormat): string {
  switch (format) {
    case 'json':
      return planJsonText(plan);
    case 'markdown':
      return renderMarkdown(plan);
    case 'human':
      return renderHuman(plan, { colour: wantsColour(process.stdout) });
  }
}

/** `Apply complete: 1 added, 0 changed, 0 destroyed.` */
export function doneLine(verb: string, s: PlanSummary): string {
  return `${verb} complete: ${s.add} added, ${s.change} changed, ${s.destroy} destroyed.`;
}
