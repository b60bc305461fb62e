/**
 * Generators for the robustness properties: every AnyValue shape (and a few values that are not
 * AnyValues but still arrive at runtime), keys that collide with Object.prototype or with the
 * processor's own attribute names, and log lines and structured bodies assembled from real
 * platform fragments and catalog texts, so that the recognisers' deeper branches are reached.
 */
import fc from 'fast-check';
import { loadCatalog } from '../../src/core/catalog/loadCatalog.ts';

export const catalog = loadCatalog();
const entries = catalog.entries();

/** Keys that name Object.prototype members, or are otherwise awkward as property names. */
export const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  '__defineGetter__',
  '',
] as const;

/** The keys the processor writes with default options. */
export const OUR_KEYS = [
  'error.type',
  'platform',
  'category',
  'platform_fault',
  'remedy_url',
  'platform_error.cause',
  'platform_error.listed',
] as const;

/** Field names the recognisers read from attributes, resources and structured bodies. */
const READ_KEYS = [
  'cloud.provider',
  'heroku.error.code',
  'healthy',
  'failure_reason',
  'event.provider',
  'event',
  'provider',
  'fly',
  'fly.app.name',
  'app',
  'name',
  'message',
  'msg',
  'log',
  'line',
  'text',
  'code',
  'desc',
  'at',
  'origins',
  'errors',
  'success',
  'result',
  'EdgeResponseStatus',
  'OriginResponseStatus',
  'data',
  'data.status',
  'status',
  'reason',
  'syslog',
  'syslog.appname',
  'appname',
  'app_name',
  'source',
] as const;

// ---------------------------------------------------------------- strings

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
/** Characters that break naive parsers: NUL, line and paragraph separators, quotes, BOM. */
const awkwardChar = fc.constantFrom(
  '\0',
  '\n',
  '\r',
  '\t',
  ' ',
  '"',
  "'",
  '\\',
  '\u2028',
  '\u2029',
  '\uFEFF',
  '\u0085',
);

/** Binary text with lone surrogates and awkward characters spliced in at random places. */
const splicedText = fc
  .tuple(
    fc.string({ unit: 'binary' }),
    fc.array(fc.tuple(fc.nat(), fc.oneof(loneSurrogate, awkwardChar)), { maxLength: 4 }),
  )
  .map(([text, insertions]) =>
    insertions.reduce((s, [at, c]) => s.slice(0, at % (s.length + 1)) + c + s.slice(at % (s.length + 1)), text),
  );

/** Any text: full Unicode code points, multi-code-point graphemes, control bytes, lone surrogates. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary-ascii' }),
  splicedText,
);

// ---------------------------------------------------------------- keys

export const anyKey: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_KEYS), weight: 2 },
  { arbitrary: fc.constantFrom(...OUR_KEYS), weight: 2 },
  { arbitrary: fc.constantFrom(...READ_KEYS), weight: 3 },
  { arbitrary: anyText, weight: 2 },
);

// ---------------------------------------------------------------- platform fragments

/** Placeholders such as `{n}` in catalog messages, filled with something plausible or hostile. */
const filledMessage = (message: string): fc.Arbitrary<string> => {
  const parts = message.split(/\{[^}]*\}/);
  return fc
    .array(fc.oneof(fc.constantFrom('3', 'web.1', '10.0.0.1:8080', 'PM05', '5s'), anyText), {
      minLength: parts.length - 1,
      maxLength: parts.length - 1,
    })
    .map((fills) => parts.map((part, i) => part + (fills[i] ?? '')).join(''));
};

const catalogTexts = entries.flatMap((e) => [e.title, ...(e.messages ?? [])]);
const catalogText: fc.Arbitrary<string> = fc.constantFrom(...catalogTexts).chain(filledMessage);
const listedCode = fc.constantFrom(...entries.map((e) => e.code));
const shapedCode = fc.oneof(
  fc.stringMatching(/^[HRL][0-9]{2,3}$/),
  fc.stringMatching(/^P[A-Z][0-9]{2}$/),
  fc.stringMatching(/^5[0-9]{2}$/),
);
/** A listed code, a well-formed unlisted one, or anything. */
export const someCode: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: listedCode, weight: 4 },
  { arbitrary: shapedCode, weight: 2 },
  { arbitrary: anyText, weight: 1 },
);
const apiCode = fc.oneof(fc.constantFrom(...entries.flatMap((e) => e.api_error_codes ?? [])), fc.integer());
const edgeStatus = fc.oneof(fc.constantFrom(520, 521, 522, 523, 524, 525, 526, 527, 530), fc.integer());

/** Pieces real platform lines are made of. */
const FRAGMENTS = [
  'code=',
  'code=H12',
  ' code="H10"',
  'at=error',
  ' at=error ',
  'at=warning ',
  'desc="',
  '"',
  'Error R14 (',
  'Error R14 (Memory quota exceeded)',
  'Error ',
  ' (',
  ')',
  ' -> ',
  'heroku[router]: ',
  'heroku[web.1]: ',
  'heroku/router ',
  'heroku router',
  'app[log-shuttle]',
  'L11 (',
  'Error L12: 222 messages dropped since 2026-01-01',
  ': 1 messages lost',
  '[error][PC01] ',
  '[P',
  '[PM05]',
  '[error]',
  '[warn] ',
  'proxy[0123abcd] sin [error] ',
  'proxy[',
  'last error: [PM05]',
  'error.message="',
  'failure_reason',
  '"failure_reason":"',
  'failure_reason=',
  'healthy=false ',
  '"healthy":false,',
  '"healthy":true',
  ' pool ',
  ' origin ',
  '"success":false',
  '"errors":[{"code":1002,"message":"',
  '{"origins":[',
  '{"origins":[{"healthy":false,"failure_reason":"',
  '"}]}',
  'EdgeResponseStatus',
  '{"EdgeResponseStatus":522,"OriginResponseStatus":0}',
  '| Origin - o1 | Pool - p1 | ',
  '| Pool - ',
  'Ray ID',
  'Ray ID: 8f1e2d3c4b5a6978',
  'Error code 522',
  'cf-error-code">',
  'cf-ray',
  ' status=522',
  'load balancing',
  ' (1002)',
  'Unhealthy',
  '{',
  '}',
  '[',
  ']',
  '\\"',
  '\\n',
  '\n',
  ' ',
  '=',
  ':',
] as const;

/** Fragments, catalog codes and texts, and random text, concatenated in any order. */
const fragmentSoup: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { arbitrary: fc.constantFrom(...FRAGMENTS), weight: 6 },
      { arbitrary: someCode, weight: 2 },
      { arbitrary: catalogText, weight: 2 },
      { arbitrary: anyText, weight: 1 },
    ),
    { maxLength: 16 },
  )
  .map((parts) => parts.join(''));

const hex = fc.stringMatching(/^[0-9a-f]{8,14}$/);
const pre = fc.oneof({ arbitrary: fc.constant(''), weight: 3 }, fragmentSoup, anyText);
const post = pre;

/** Real shapes with random slots: these reach the recognisers' confirmation branches. */
const templates: fc.Arbitrary<string>[] = [
  fc
    .tuple(
      pre,
      fc.constantFrom('', 'heroku[router]: ', 'heroku/router ', '<158>1 2026-05-11T14:59:02Z host heroku router - '),
      fc.constantFrom('error', 'warning', 'info', 'oops'),
      someCode,
      fc.oneof(catalogText, anyText),
      fc.oneof(fc.constantFrom('GET', 'POST'), anyText),
      fc.oneof(fc.constantFrom('/', '"/a b"', '/x?y=1'), anyText),
      fc.nat(99_999),
      fc.constantFrom('503', '404', 'x', ''),
      post,
    )
    .map(
      ([p, frame, level, code, desc, method, path, ms, status, q]) =>
        `${p}${frame}at=${level} code=${code} desc="${desc}" method=${method} path=${path} host=a.herokuapp.com fwd="1.2.3.4, 5.6.7.8" dyno=web.1 connect=${ms}ms service=${ms}ms status=${status} protocol=https bytes=0 request_id=${ms}${q}`,
    ),
  fc
    .tuple(pre, fc.constantFrom('', 'heroku[web.1]: ', 'app[log-shuttle]: '), someCode, catalogText, post)
    .map(([p, frame, code, title, q]) => `${p}${frame}Error ${code} (${title})${q}`),
  fc
    .tuple(pre, fc.constantFrom('Error L12', 'L11', 'Error H12'), fc.nat(), fc.constantFrom('dropped', 'lost'), post)
    .map(([p, code, n, verb, q]) => `${p}${code}: ${n} messages ${verb}${q}`),
  fc
    .tuple(
      pre,
      hex,
      fc.constantFrom('sin', 'ams', 'x'),
      fc.constantFrom('error', 'warn', 'bogus'),
      someCode,
      catalogText,
    )
    .map(([p, h, region, level, code, message]) => `${p}proxy[${h}] ${region} [${level}] [${code}] ${message}`),
  fc
    .tuple(pre, hex, fc.constantFrom('error', 'info'), catalogText, post)
    .map(([p, h, level, message, q]) => `${p}proxy[${h}] sin [${level}] ${message}${q}`),
  fc
    .tuple(fc.constantFrom('', '[error]', '[info] '), someCode, catalogText, someCode)
    .map(([tag, code, message, cause]) => `${tag}[${code}] ${message} last error: [${cause}] x`),
  fc
    .tuple(someCode, catalogText, hex)
    .map(([code, message, h]) => `error.message="[${code}] ${message}" 2026-05-11T14:59:02Z proxy[${h}] sin [error]`),
  fc
    .tuple(pre, fc.boolean(), catalogText, post)
    .map(
      ([p, healthy, reason, q]) =>
        `${p}{"pool":"p","origins":[{"name":"o","healthy":${healthy},"failure_reason":"${reason}"}]}${q}`,
    ),
  fc
    .tuple(pre, fc.constantFrom('pool=p origin=o ', 'healthy=false ', ''), catalogText)
    .map(([p, context, reason]) => `${p}${context}failure_reason="${reason}"`),
  fc
    .tuple(pre, apiCode, catalogText, post)
    .map(([p, code, message, q]) => `${p}{"success":false,"errors":[{"code":${code},"message":"${message}"}]}${q}`),
  fc
    .tuple(pre, edgeStatus, fc.constantFrom(0, 200, '0'), post)
    .map(([p, edge, origin, q]) => `${p}{"EdgeResponseStatus":${edge},"OriginResponseStatus":${origin}}${q}`),
  fc.tuple(pre, catalogText).map(([p, reason]) => `${p}DOWN | Origin - o1 | Pool - p1 | ${reason}`),
  fc
    .tuple(pre, catalogText, apiCode)
    .map(([p, message, code]) => `${p}Error: updating load balancer: ${message} (${code})`),
  fc.tuple(pre, edgeStatus, post).map(([p, status, q]) => `${p}Error code ${status} | Ray ID: 8f1e2d3c4b5a6978${q}`),
  fc.tuple(pre, edgeStatus).map(([p, status]) => `${p}cf-ray=8f1e2d3c4b5a6978-SIN status=${status}`),
];

/** A log line: a real shape with random slots, a soup of fragments, or arbitrary text. */
export const platformText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.oneof(...templates), weight: 4 },
  { arbitrary: fragmentSoup, weight: 3 },
  { arbitrary: anyText, weight: 1 },
);

// ---------------------------------------------------------------- values

/** Values that are not AnyValues but reach a processor anyway when callers ignore the types. */
const exoticValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(new Date(0)),
  fc.bigInt(),
  fc.constant(Symbol('s')),
  fc.constant(() => 'f'),
  fc.constant(new Map([['message', 'at=error code=H12 desc="Request timeout"']])),
  fc.constant(
    new (class Custom {
      message = 'Error R14 (Memory quota exceeded)';
    })(),
  ),
  platformText.map((message) => {
    const circular: Record<string, unknown> = { message };
    circular.self = circular;
    return circular;
  }),
);

const scalar: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: anyText, weight: 4 },
  { arbitrary: platformText, weight: 4 },
  { arbitrary: fc.double(), weight: 2 },
  { arbitrary: fc.constantFrom(Number.NaN, -0, 0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY), weight: 1 },
  { arbitrary: fc.integer(), weight: 1 },
  { arbitrary: fc.constantFrom(0, 522, 1002, 200), weight: 1 },
  { arbitrary: fc.boolean(), weight: 2 },
  { arbitrary: fc.constantFrom(null, undefined), weight: 2 },
  { arbitrary: fc.uint8Array({ maxLength: 32 }), weight: 1 },
  { arbitrary: exoticValue, weight: 1 },
);

/** Any value: scalars, arrays and maps nested to any depth, maps with hostile or meaningful keys. */
export const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown; array: unknown[]; map: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('map')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  map: fc.dictionary(anyKey, tie('value'), { maxKeys: 4 }),
})).value;

/** Wraps a value in `depth` levels of `{ key: … }`, built iteratively. */
export function nest(value: unknown, depth: number, key = 'a'): unknown {
  let nested = value;
  for (let i = 0; i < depth; i++) nested = { [key]: nested };
  return nested;
}

const deepValue = fc
  .tuple(anyValue, fc.integer({ min: 20, max: 120 }), anyKey)
  .map(([leaf, depth, key]) => nest(leaf, depth, key));

// ---------------------------------------------------------------- structured bodies

const meaningfulValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: platformText, weight: 3 },
  { arbitrary: catalogText, weight: 2 },
  { arbitrary: someCode, weight: 2 },
  { arbitrary: fc.constantFrom(false, true, 0, 'heroku', 'proxy', 'Unhealthy', 'fly'), weight: 2 },
  { arbitrary: apiCode, weight: 1 },
  { arbitrary: anyValue, weight: 2 },
);

/** Cloudflare's and the log shippers' structured shapes with random slots. */
const structuredTemplates: fc.Arbitrary<Record<string, unknown>>[] = [
  fc
    .array(
      fc.record({ name: anyText, healthy: fc.constantFrom(false, true, 'false'), failure_reason: meaningfulValue }),
      {
        maxLength: 4,
      },
    )
    .map((origins) => ({ pool: 'p', origins })),
  fc
    .array(fc.record({ code: fc.oneof(apiCode, anyValue), message: meaningfulValue }), { maxLength: 4 })
    .map((errors) => ({ success: false, errors })),
  fc
    .array(
      fc.oneof(
        fc.record({ origins: fc.array(fc.record({ healthy: fc.constant(false), failure_reason: catalogText })) }),
        anyValue,
      ),
      {
        maxLength: 4,
      },
    )
    .map((result) => ({ success: true, result })),
  fc
    .tuple(edgeStatus, fc.constantFrom(0, 200, undefined, '0'))
    .map(([edge, origin]) => ({ EdgeResponseStatus: edge, OriginResponseStatus: origin })),
  fc.record({ healthy: fc.constant(false), failure_reason: meaningfulValue }),
  catalogText.map((reason) => ({ data: { status: 'Unhealthy', reason } })),
  fc.record({ code: someCode, desc: meaningfulValue, at: fc.constantFrom('error', 'info') }),
  fc.record({
    message: platformText,
    'syslog.appname': fc.constantFrom('heroku', 'app'),
    source: fc.constantFrom('heroku', 'fly'),
  }),
  fc.record({
    message: platformText,
    event: fc.record({ provider: fc.constantFrom('proxy', 'app') }),
    fly: fc.record({ app: fc.record({ name: anyText }) }),
  }),
  fc.record({ msg: platformText, 'event.provider': fc.constantFrom('proxy', 'app'), 'fly.app.name': anyText }),
];

/** A structured body: a platform shape, a map of meaningful keys, or any map. */
export const platformObject: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.oneof(...structuredTemplates), weight: 4 },
  {
    arbitrary: fc.dictionary(fc.constantFrom(...READ_KEYS, ...HOSTILE_KEYS), meaningfulValue, { maxKeys: 6 }),
    weight: 3,
  },
  { arbitrary: fc.dictionary(anyKey, anyValue, { maxKeys: 6 }), weight: 1 },
);

/** Any body a record can carry. */
export const anyBody: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: platformText, weight: 5 },
  { arbitrary: platformObject, weight: 4 },
  { arbitrary: anyValue, weight: 2 },
  { arbitrary: deepValue, weight: 1 },
);

// ---------------------------------------------------------------- attributes, resources, records

const providerName = fc.oneof(
  fc.constantFrom('heroku', 'fly', 'flyio', 'fly.io', 'cloudflare', 'aws', ''),
  anyText,
  fc.integer(),
);

/** Attributes a shipper sets next to a platform line (hints, Cloudflare event fields), sometimes. */
const hintAttributes = fc.record(
  {
    'cloud.provider': providerName,
    'heroku.error.code': someCode,
    healthy: fc.constantFrom(false, true),
    failure_reason: fc.oneof(catalogText, anyText),
    'event.provider': fc.constantFrom('proxy', 'app'),
    'fly.app.name': anyText,
  },
  { requiredKeys: [] },
);

/** Attribute values: mostly scalars, sometimes nested. */
const attributeValue = fc.oneof({ arbitrary: scalar, weight: 4 }, { arbitrary: anyValue, weight: 1 });

export const anyAttributes: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(fc.dictionary(anyKey, attributeValue, { maxKeys: 4 }), fc.option(hintAttributes, { nil: undefined }))
  .map(([random, hints]) => (hints ? { ...hints, ...random } : random));

/** Resources keep only primitive values, so nothing deeper is worth generating. */
const resourceValue = fc.oneof(anyText, fc.double(), fc.integer(), fc.boolean(), fc.constantFrom(null, undefined));

export const anyResource: fc.Arbitrary<Record<string, unknown> | undefined> = fc.option(
  fc
    .tuple(fc.option(providerName, { nil: undefined }), fc.dictionary(anyKey, resourceValue, { maxKeys: 3 }))
    .map(([provider, rest]) => (provider === undefined ? rest : { ...rest, 'cloud.provider': provider })),
  { nil: undefined },
);

export interface RecordInput {
  body: unknown;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown> | undefined;
  severityNumber: number | undefined;
}

const severityNumber = fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined });

export const anyRecord: fc.Arbitrary<RecordInput> = fc.record({
  body: anyBody,
  attributes: anyAttributes,
  resource: anyResource,
  severityNumber,
});

/** A cheaper record: a platform line with hint attributes, the kind that moves the processor's caches. */
export const lineRecord: fc.Arbitrary<RecordInput> = fc.record({
  body: platformText,
  attributes: hintAttributes.map((hints) => hints as Record<string, unknown>),
  resource: anyResource,
  severityNumber,
});
