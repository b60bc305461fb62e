/**
 * What a user would write instead: parse every line with npm `logfmt` and look `code` up, or try
 * one regular expression per catalog code. Both see string bodies only and recognise less than
 * the processor (no runtime/Fly/Cloudflare shapes for logfmt; no framing checks for either);
 * they are here for cost, not for accuracy.
 */
import { appLines, mixedStream, platformLines, type Sample } from '../corpus.ts';
import { logfmtPeer, type Pipeline, regexPerCodeCount, regexPerCodePeer } from '../pipelines.ts';
import { emitLoop, expectCodes, type Scenario } from '../scenario.ts';

const PER_CALL = 256;

/** Each peer must find H12 in the router line and nothing in ordinary output. */
function verifyPeer(pipeline: Pipeline, id: string): void {
  const app = Object.values(appLines).filter((sample) => typeof sample.body === 'string');
  expectCodes(pipeline, app, () => undefined, id);
  expectCodes(pipeline, [platformLines.herokuRouter], () => 'H12', id);
}

function peer(id: string, description: string, pipeline: Pipeline, samples: Sample[]): Scenario {
  return {
    id,
    description,
    recordsPerCall: PER_CALL,
    run: emitLoop(pipeline, samples, PER_CALL),
    verify: () => verifyPeer(pipeline, id),
  };
}

export function peerScenarios(): Scenario[] {
  const mix = mixedStream();
  const regexes = `${regexPerCodeCount()} regexes`;
  return [
    peer('peer/logfmt/herokuRouter', 'logfmt.parse + Map + 5 attributes, router line', logfmtPeer(), [
      platformLines.herokuRouter,
    ]),
    peer('peer/logfmt/typical110', 'logfmt.parse + Map, non-matching 110 B', logfmtPeer(), [appLines.typical110]),
    peer('peer/logfmt/mix', 'logfmt.parse + Map, the 5 % mix', logfmtPeer(), mix),
    peer('peer/regex-per-code/herokuRouter', `${regexes} + 5 attributes, router line`, regexPerCodePeer(), [
      platformLines.herokuRouter,
    ]),
    peer('peer/regex-per-code/typical110', `${regexes}, non-matching 110 B`, regexPerCodePeer(), [appLines.typical110]),
    peer('peer/regex-per-code/mix', `${regexes}, the 5 % mix`, regexPerCodePeer(), mix),
  ];
}
