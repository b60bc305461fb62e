import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Catalog } from '../catalog/Catalog.ts';
import { loadCatalog } from '../catalog/loadCatalog.ts';
import { packageRoot } from '../catalog/paths.ts';
import { CatalogValidationError } from '../catalog/validate.ts';
import { CATALOG_FORMATS, type CatalogFormat, renderCatalog } from './catalogCommand.ts';
import { explain, formatEntry } from './explain.ts';
import { styleFor } from './style.ts';

/** Exit codes: documented in the README's CLI reference. */
export const EXIT = { ok: 0, unknownCode: 1, usage: 2 } as const;

const USAGE = `Usage: otel-platform-errors <command> [options]

Commands:
  explain CODE…               What a code means, whose fault it is, what to do, the link.
                              CODE: H12, pc01, heroku:H12, 1002, tcp-connection-failed, …
      --json                  Print the entries as a JSON array.
  catalog                     List the catalog.
      --platform P            Only one platform (heroku, fly, cloudflare).
      --format F              table (default), json or md.

Options for every command:
  --catalog FILE              A user catalog (YAML/JSON) over the built-in one; repeatable.
  -h, --help                  This help.   -v, --version   The version.

Exit codes: 0 success · 1 a code is not in the catalog · 2 bad usage or invalid catalog.`;

class UsageError extends Error {}

interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], io: Io = process): Promise<number> {
  try {
    return run(argv, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof CatalogValidationError || isParseArgsError(error)) {
      io.stderr.write(`otel-platform-errors: ${(error as Error).message}\n`);
      if (error instanceof UsageError || isParseArgsError(error))
        io.stderr.write('Run `otel-platform-errors --help` for usage.\n');
      return EXIT.usage;
    }
    throw error;
  }
}

function isParseArgsError(error: unknown): boolean {
  return error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
}

function run(argv: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean' },
      platform: { type: 'string' },
      format: { type: 'string' },
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
    case 'explain':
      return runExplain(catalog, args, values.json === true, io, style);
    case 'catalog': {
      if (args.length > 0) throw new UsageError(`catalog takes no arguments (got "${args[0]}")`);
      const platforms = selectPlatforms(catalog, values.platform);
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

function runExplain(
  catalog: Catalog,
  codes: string[],
  json: boolean,
  io: Io,
  style: ReturnType<typeof styleFor>,
): number {
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
