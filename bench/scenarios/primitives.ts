/**
 * The building blocks' cost on this machine, measured in the same run: what one needle search,
 * one Map lookup, one regex and one attribute probe cost. The floor analysis in BENCHMARKS.md
 * adds these up; they are not targets.
 */

import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { Prefilter } from '../../src/core/Prefilter.ts';
import { recognisers } from '../../src/core/recognisers/index.ts';
import { appLines, longLine, platformLines } from '../corpus.ts';
import { bare, catalog, toLogRecord } from '../pipelines.ts';
import type { Scenario } from '../scenario.ts';

const PER_CALL = 256;
/** Inputs rotate through this many copies, so the optimiser cannot hoist a search out of the loop. */
const VARIANTS = 8;

/** Distinct strings of about the same length: `line` without its last 0…7 characters. */
const variantsOf = (line: string): string[] =>
  Array.from({ length: VARIANTS }, (_, i) => line.slice(0, line.length - i));
const TYPICAL = variantsOf(appLines.typical110.body);
const LONG = variantsOf(appLines.long1k.body);
const LONG16K = variantsOf(longLine(16384).body as string);
const ROUTER = variantsOf(platformLines.herokuRouter.body);

/** Results land here so the optimiser cannot drop the work. */
const consumed = { total: 0 };

/** `op(i)` must use variant `i % VARIANTS` of its input. */
function primitive(id: string, description: string, op: (i: number) => number): Scenario {
  return {
    id: `primitive/${id}`,
    description,
    recordsPerCall: PER_CALL,
    run: () => {
      for (let i = 0; i < PER_CALL; i++) consumed.total += op(i % VARIANTS);
    },
    verify: () => {
      op(0);
    },
  };
}

/** A record as the processor sees it (the SDK's own log record), to probe its attributes. */
function emittedRecord(): ReadWriteLogRecord {
  const pipeline = bare();
  pipeline.emit(toLogRecord(appLines.typical110));
  if (!pipeline.sink.last) throw new Error('no record emitted');
  return pipeline.sink.last;
}

export function primitiveScenarios(): Scenario[] {
  const codes = new Map(catalog.entries('heroku').map((entry) => [entry.code, entry]));
  const routerRegex = /\bcode=([HRL][0-9][0-9])\b/;
  const record = emittedRecord();
  const prefilter = new Prefilter(recognisers, catalog);
  const keys = ['error.type', 'platform', 'category', 'platform_fault', 'remedy_url'];
  const heroku = catalog
    .entries('heroku')
    .slice(0, VARIANTS)
    .map((entry) => entry.code);
  return [
    primitive('indexOf-miss-110B', "indexOf('code=') missing in a 110 B line", (i) => at(TYPICAL, i).indexOf('code=')),
    primitive('indexOf-miss-1KB', "indexOf('code=') missing in a 1 KB line", (i) => at(LONG, i).indexOf('code=')),
    primitive('indexOf-rare-110B', "indexOf('[P') (rare first char), 110 B", (i) => at(TYPICAL, i).indexOf('[P')),
    primitive('prefilter-110B', 'the pre-filter on a 110 B line it rejects', (i) =>
      prefilter.text(at(TYPICAL, i)) ? 1 : 0,
    ),
    primitive('prefilter-16KB', 'the pre-filter on a 16 KB line it rejects', (i) =>
      prefilter.text(at(LONG16K, i)) ? 1 : 0,
    ),
    primitive('map-get', 'Map.get on the Heroku code table', (i) => (codes.get(at(heroku, i)) === undefined ? 0 : 1)),
    primitive('regex-router', 'one regex exec on a router line', (i) => routerRegex.exec(at(ROUTER, i))?.index ?? -1),
    primitive('attribute-probe×5', "5 reads of absent keys on a record's attributes", () => {
      let present = 0;
      for (const key of keys) if (record.attributes[key] !== undefined) present++;
      return present;
    }),
  ];
}

const at = (values: readonly string[], i: number): string => values[i] as string;
