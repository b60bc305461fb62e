import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Catalog } from '../core/catalog/Catalog.ts';
import { loadCatalog } from '../core/catalog/loadCatalog.ts';
import { packageRoot } from '../core/catalog/paths.ts';
import { CatalogValidationError } from '../core/catalog/validate.ts';
import { OtlpSetupError } from '../otlp/exporter.ts';
import { CATALOG_FORMATS, type CatalogFormat, renderCatalog } from './catalogCommand.ts';
import { ENRICH_FORMATS, type EnrichFormat } from './enrich/format.ts';
import { runEnrich } from './enrich/runEnrich.ts';
import { explain, formatEntry } from './explain.ts';
import { type Style, styleFor } from './style.ts';

/** Exit codes: documented in the README's CLI reference. */
export const EXIT = { ok: 0, unknownCode: 1, usage: 2, exportFailed: 3, interrupted: 130 } as const;

/** Lines longer than this are cut before enrichment (the platforms' lines are far shorter). */
const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

const USAGE = `Usage: otel-platform-errors <command> [options]

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
  explain CODE…               What a code means, whose fault it is, what to do, the link.
                              CODE: H12, pc01, heroku:H12, 1002, tcp-connection-failed, …
      --json                  Print the entries as a JSON array.
  catalog                     List the catalog.
      --platform P            Only one platform (heroku, fly, cloudflare).
      --format F              table (default), json, md, csv (Vector / Collector lookup
                              table) or ottl (Collector transform-processor config).

Options for every command:
  --catalog FILE              A user catalog (YAML/JSON) over the built-in one; repeatable.
  -h, --help                  This help.   -v, --version   The version.

Exit codes: 0 success · 1 explain: a code is not in the catalog · 2 bad usage, invalid catalog,
or an input file that cannot be read · 130 interrupted (Ctrl-C; the summary is still printed).`;

class UsageError extends Error {}

interface Io {
  stdin?: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], io: Io = process): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    const usage = error instanceof UsageError ? error.message : parseArgsMessage(error);
    if (usage !== undefined) {
      io.stderr.write(`otel-platform-errors: ${usage}\nRun \`otel-platform-errors --help\` for usage.\n`);
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

async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: normaliseOtlp(argv),
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean' },
      platform: { type: 'string', multiple: true },
      format: { type: 'string' },
      'only-matches': { type: 'boolean' },
      otlp: { type: 'boolean' },
      'otlp-url': { type: 'string' },
      fields: { type: 'boolean' },
      'max-line-bytes': { type: 'string' },
      quiet: { type: 'boolean' },
      catalog: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  const [command, ...args] = positionals;
  if (values.version) {
    io.stdout.write(`${JSON.parse(readFileSync(`${packageRoot}package.json`, 'utf8')).version}\n`);
    return EXIT.ok;
  }
  if (values.help || command === undefined || command === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return command === undefined && !values.help ? EXIT.usage : EXIT.ok;
  }
  const catalog = loadCatalog({ sources: values.catalog ?? [] });
  const style = styleFor(io.stdout);
  switch (command) {
    case 'enrich':
      return enrich(catalog, args, values, io);
    case 'explain':
      return runExplain(catalog, args, values.json === true, io, style);
    case 'catalog': {
      if (args.length > 0) throw new UsageError(`catalog takes no arguments (got "${args[0]}")`);
      if ((values.platform?.length ?? 0) > 1) throw new UsageError('catalog takes one --platform');
      const platforms = selectPlatforms(catalog, values.platform?.[0]);
      const format = (values.format ?? 'table') as CatalogFormat;
      if (!CATALOG_FORMATS.includes(format))
        throw new UsageError(`--format must be one of ${CATALOG_FORMATS.join(', ')}`);
      io.stdout.write(`${renderCatalog(catalog, platforms, format, style)}\n`);
      return EXIT.ok;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function selectPlatforms(catalog: Catalog, platform: string | undefined): string[] {
  if (platform === undefined) return catalog.platforms();
  if (catalog.platform(platform) === undefined) {
    throw new UsageError(`unknown platform "${platform}" (known: ${catalog.platforms().join(', ')})`);
  }
  return [platform];
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
