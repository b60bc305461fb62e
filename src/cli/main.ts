import { readFileSync } from 'node:fs';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Catalog } from '../core/catalog/Catalog.ts';
import { builtinCatalogFiles, loadCatalog } from '../core/catalog/loadCatalog.ts';
import { packageRoot } from '../core/catalog/paths.ts';
import { CatalogValidationError } from '../core/catalog/validate.ts';
import { OtlpSetupError } from '../otlp/exporter.ts';
import { CATALOG_FORMATS, type CatalogFormat, renderCatalog } from './catalogCommand.ts';
import { ENRICH_FORMATS, type EnrichFormat } from './enrich/format.ts';
import { runEnrich } from './enrich/runEnrich.ts';
import { explain, formatEntry } from './explain.ts';
import { runServe, SERVE_OPTIONS } from './serve.ts';
import { type Style, styleFor } from './style.ts';

/** Exit codes: documented in the README's CLI reference. */
export const EXIT = {
  ok: 0,
  unknownCode: 1,
  usage: 2,
  exportFailed: 3,
  interrupted: 130,
} as const;

/** Lines longer than this are cut before enrichment (the platforms' lines are far shorter). */
const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

/** The usage text; the platforms come from the catalog, not from a list kept here. */
function usage(platforms: readonly string[]): string {
  return `Usage: otel-platform-errors <command> [options]

Commands:
  enrich [FILE…]              Enrich log lines (FILE, or standard input when none or -): each
                              line goes through the SDK and the processor; JSON object lines
                              become structured bodies.
      --format F              text (default: the line, and a note under each platform error)
                              or jsonl ({"body", "attributes"} per input line, in order).
      --only-matches          text format: print only lines with a platform error.
      --otlp[=URL]            Also export the records over OTLP (http/protobuf, or http/json
                              per OTEL_EXPORTER_OTLP_PROTOCOL); without URL the standard
                              OTEL_EXPORTER_OTLP_* variables apply.
      --platform P            Only recognise this platform; repeatable.
      --fields                Add Heroku router request fields (http.request.method, …).
      --max-line-bytes N      Cut longer lines to their first N bytes (default 1048576).
      --quiet                 No summary and no warnings.
  serve                       The gateway: receive the platforms' log streams, enrich them,
                              forward them over OTLP. POST /heroku (Logplex drains),
                              POST /v1/logs (OTLP), POST /cloudflare/logpush,
                              POST /cloudflare/webhook; Fly's NATS stream when
                              FLY_ACCESS_TOKEN is set; Cloudflare's health events when
                              CLOUDFLARE_API_TOKEN is set.
      --host H, --port P      Where to listen (default $PORT, else 8080; 127.0.0.1, or
                              0.0.0.0 when $PORT is set).
      --tls-cert F --tls-key F  Terminate TLS with these PEM files.
      --token-file F          The shared secret (else PLATFORM_ERRORS_TOKEN).
      --insecure              Listen beyond this machine without a token.
      --exporter otlp|console Forward over OTLP (OTEL_EXPORTER_OTLP_*), or print records.
      --otlp-url URL          The OTLP logs endpoint (else the OTEL_EXPORTER_OTLP_* variables).
      --ack-timeout MS        Answer 503 when the downstream takes longer (default 4000).
      --max-queue N           Records held for the downstream before 429 (default 100000).
      --max-body-bytes N, --max-decompressed-bytes N, --max-line-bytes N
                              Request limits (default 16 MiB, 64 MiB, 64 KiB).
      --max-stream-bytes N    Largest Logpush batch, streamed (default 1 GiB).
      --cloudflare-forward-all  Forward every Logpush record, not only those with a code.
      --cloudflare-poll-interval S  Seconds between health-event polls (default 60).
      --cloudflare-state-file F  Remember emitted health events across restarts.
      --connection-max-age S  Close connections after S seconds (default 300).
      --shutdown-timeout S    How long SIGTERM waits to drain (default 25).
      --platform P, --fields  As for enrich.
      --passthrough           Recognise nothing: a plain Logplex/OTLP to OTLP bridge.
  explain CODE…               What a code means, whose fault it is, what to do, the link.
                              CODE: H12, pc01, heroku:H12, 1002, tcp-connection-failed, …
      --json                  Print the entries as a JSON array.
  catalog                     List the catalog.
      --platform P            Only one platform (${platforms.join(', ')}).
      --format F              ${CATALOG_FORMATS.join(', ')} (table is the default; csv is a
                              Vector / Collector lookup table, ottl a Collector transform config).

Options for every command:
  --catalog FILE              A user catalog (YAML/JSON) over the built-in one; repeatable.
  -h, --help                  This help.   -v, --version   The version.

Exit codes: 0 success · 1 explain: a code is not in the catalog · 2 bad usage, invalid catalog,
an input file that cannot be read, or a setting serve cannot start with · 3 enrich --otlp: some
records were not delivered · 130 interrupted (Ctrl-C; the summary is still printed).`;
}

class UsageError extends Error {}

interface Io {
  stdin?: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env?: NodeJS.ProcessEnv;
  /** Aborted on SIGINT or SIGTERM. */
  signal?: AbortSignal;
}

type Options = NonNullable<ParseArgsConfig['options']>;

const COMMON: Options = {
  catalog: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
};

/** Each command's own options: an option of another command is an unknown option here. */
const COMMAND_OPTIONS: Record<string, Options> = {
  enrich: {
    format: { type: 'string' },
    'only-matches': { type: 'boolean' },
    otlp: { type: 'boolean' },
    'otlp-url': { type: 'string' },
    platform: { type: 'string', multiple: true },
    fields: { type: 'boolean' },
    'max-line-bytes': { type: 'string' },
    quiet: { type: 'boolean' },
  },
  serve: SERVE_OPTIONS,
  explain: { json: { type: 'boolean' } },
  catalog: { platform: { type: 'string', multiple: true }, format: { type: 'string' } },
};

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], io: Io = process): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    const message = error instanceof UsageError ? error.message : parseArgsMessage(error);
    if (message !== undefined) {
      io.stderr.write(`otel-platform-errors: ${message}\nRun \`otel-platform-errors --help\` for usage.\n`);
      return EXIT.usage;
    }
    if (error instanceof OtlpSetupError || error instanceof CatalogValidationError) {
      io.stderr.write(`otel-platform-errors: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}

/** Our own one-line message for what node:util parseArgs rejects; undefined for any other error. */
function parseArgsMessage(error: unknown): string | undefined {
  if (!(error instanceof Error) || !('code' in error)) return undefined;
  const option = /'(-[^' ]+)/.exec(error.message)?.[1];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? error.message}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (!option) return error.message;
      return /does not take an argument/.test(error.message) ? `${option} takes no value` : `${option} needs a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return 'unexpected argument';
    default:
      return undefined;
  }
}

/** `--otlp` takes an optional value, which parseArgs cannot express: `--otlp URL` → `--otlp-url URL`. */
function normaliseOtlp(argv: string[]): string[] {
  return argv.flatMap((arg, i) => {
    if (arg.startsWith('--otlp=')) return ['--otlp-url', arg.slice('--otlp='.length)];
    if (arg === '--otlp' && /^https?:\/\//.test(argv[i + 1] ?? '')) return ['--otlp-url'];
    return [arg];
  });
}

/** The command: the first positional, with every command's options known so their values are skipped. */
function commandOf(argv: string[]): string | undefined {
  const all = Object.assign({}, COMMON, ...Object.values(COMMAND_OPTIONS)) as Options;
  return parseArgs({ args: normaliseOtlp(argv), allowPositionals: true, strict: false, options: all }).positionals[0];
}

async function run(argv: string[], io: Io): Promise<number> {
  const command = commandOf(argv);
  const own = command === undefined ? undefined : COMMAND_OPTIONS[command];
  const { values, positionals } = parseArgs({
    args: command === 'enrich' ? normaliseOtlp(argv) : argv,
    allowPositionals: true,
    strict: true,
    options: { ...COMMON, ...own },
  });
  const [, ...args] = positionals;
  if (values.version) {
    io.stdout.write(`${JSON.parse(readFileSync(`${packageRoot}package.json`, 'utf8')).version}\n`);
    return EXIT.ok;
  }
  if (values.help || command === undefined || command === 'help') {
    io.stdout.write(`${usage(builtinCatalogFiles().map((f) => f.platform))}\n`);
    return command === undefined && !values.help ? EXIT.usage : EXIT.ok;
  }
  if (own === undefined) throw new UsageError(`unknown command "${command}"`);
  const catalogs = (values.catalog as string[] | undefined) ?? [];
  if (command === 'serve') {
    if (args.length > 0) throw new UsageError(`serve takes no arguments (got "${args[0]}")`);
    return runServe(values, io);
  }
  const catalog = loadCatalog({ sources: catalogs });
  const style = styleFor(io.stdout);
  switch (command) {
    case 'enrich':
      return enrich(catalog, args, values as EnrichValues, io);
    case 'explain':
      return runExplain(catalog, args, values.json === true, io, style);
    default: {
      if (args.length > 0) throw new UsageError(`catalog takes no arguments (got "${args[0]}")`);
      const platform = values.platform as string[] | undefined;
      if ((platform?.length ?? 0) > 1) throw new UsageError('catalog takes one --platform');
      const platforms = selectPlatforms(catalog, platform?.[0]);
      const format = (values.format ?? 'table') as CatalogFormat;
      if (!CATALOG_FORMATS.includes(format))
        throw new UsageError(`--format must be one of ${CATALOG_FORMATS.join(', ')}`);
      io.stdout.write(`${renderCatalog(catalog, platforms, format, style)}\n`);
      return EXIT.ok;
    }
  }
}

function selectPlatforms(catalog: Catalog, platform: string | undefined): string[] {
  if (platform === undefined) return catalog.platforms();
  if (catalog.platform(platform) === undefined) {
    throw new UsageError(`unknown platform "${platform}" (known: ${catalog.platforms().join(', ')})`);
  }
  return [platform];
}

interface EnrichValues {
  format?: string;
  'only-matches'?: boolean;
  otlp?: boolean;
  'otlp-url'?: string;
  platform?: string[];
  fields?: boolean;
  'max-line-bytes'?: string;
  quiet?: boolean;
}

async function enrich(catalog: Catalog, files: string[], values: EnrichValues, io: Io): Promise<number> {
  const format = (values.format ?? 'text') as EnrichFormat;
  if (!ENRICH_FORMATS.includes(format))
    throw new UsageError(`enrich --format must be one of ${ENRICH_FORMATS.join(', ')}`);
  for (const platform of values.platform ?? []) selectPlatforms(catalog, platform);
  const maxLineBytes =
    values['max-line-bytes'] === undefined ? DEFAULT_MAX_LINE_BYTES : Number(values['max-line-bytes']);
  if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1)
    throw new UsageError('--max-line-bytes must be a positive whole number');
  const result = await runEnrich(
    {
      files,
      format,
      onlyMatches: values['only-matches'] === true,
      otlp: values['otlp-url'] ?? values.otlp === true,
      platforms: values.platform,
      extractFields: values.fields === true,
      maxLineBytes,
      quiet: values.quiet === true,
    },
    catalog,
    {
      stdin: io.stdin ?? process.stdin,
      stdout: io.stdout,
      stderr: io.stderr,
      env: io.env ?? process.env,
      signal: io.signal,
      style: styleFor(io.stdout),
      errorStyle: styleFor(io.stderr),
    },
  );
  if (result.interrupted) return EXIT.interrupted;
  if (result.unreadable > 0 || result.outputFailed) return EXIT.usage;
  return result.undelivered > 0 ? EXIT.exportFailed : EXIT.ok;
}

function runExplain(catalog: Catalog, codes: string[], json: boolean, io: Io, style: Style): number {
  if (codes.length === 0) throw new UsageError('explain needs at least one CODE, e.g. `explain H12`');
  const { found, unknown } = explain(catalog, codes);
  if (json) io.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
  else if (found.length > 0) io.stdout.write(`${found.map((e) => formatEntry(e, catalog, style)).join('\n\n')}\n`);
  for (const query of unknown) {
    const fallback = found.find((e) => !e.listed && e.code === query.toUpperCase());
    io.stderr.write(
      fallback
        ? `otel-platform-errors: ${query} is a well-formed ${fallback.platform} code but is not in the catalog; add it with --catalog FILE.\n`
        : `otel-platform-errors: "${query}" is not a code in the catalog. Try \`otel-platform-errors catalog\` to list codes, or a code such as H12, PC01 or tcp-connection-failed.\n`,
    );
  }
  return unknown.length > 0 ? EXIT.unknownCode : EXIT.ok;
}
