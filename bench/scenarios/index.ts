import type { Scenario } from '../scenario.ts';
import { adversarialScenarios } from './adversarial.ts';
import { emitScenarios } from './emit.ts';
import { peerScenarios } from './peers.ts';
import { pipelineScenarios } from './pipeline.ts';
import { primitiveScenarios } from './primitives.ts';

/** Scenario groups by the first part of their ids, in table order. */
const GROUPS: Record<string, () => Scenario[]> = {
  primitive: primitiveScenarios,
  emit: emitScenarios,
  peer: peerScenarios,
  pipeline: pipelineScenarios,
  adversarial: adversarialScenarios,
};

/** Every scenario, in table order. */
export function allScenarios(): Scenario[] {
  return Object.values(GROUPS).flatMap((group) => group());
}

/** One scenario, building only its group (a child process in --isolate mode needs no more). */
export function scenarioById(id: string): Scenario | undefined {
  return GROUPS[id.split('/')[0] ?? '']?.().find((s) => s.id === id);
}
