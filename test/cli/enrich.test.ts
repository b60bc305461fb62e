/** The `enrich` command, run as the real CLI process over real files and pipes. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { finished, nextLine, runBin, start } from '../helpers/bin.ts';
import { bodyOf, fixtureFiles } from '../helpers/fixtures.ts';
import { OtlpReceiver } from '../helpers/otlpReceiver.ts';

const dir = mkdtempSync(join(tmpdir(), 'ope-enrich-'));
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

/** Platform lines (positives, look-alikes) from the fixtures, as a shipper would write them: one per line. */
const fixtureLines = fixtureFiles().flatMap((f) =>
  [...f.positives, ...f.negatives]
    .filter((x) => x.attributes === undefined && x.resource === undefined)
    .map((x) => {
      const body = bodyOf(x);
      return { line: typeof body === 'string' ? body : JSON.stringify(body), code: x.expect?.code };
    })
    .filter(({ line }) => !line.includes('\n')),
);
const appLines = [
  'GET /healthz 200 1ms',
  'level=info msg="job done" code=E11000',
  '',
  '   ',
  '{"level":"warn","msg":"slow"}',
  '[1, 2, 3]',
  '{not json}',
];

describe('enrich --format jsonl', () => {
  it('keeps exactly one output line per input line, in order, for a mixed 10,000-line file', async () => {
    const lines = Array.from({ length: 10_000 }, (_, i) =>
      i % 20 === 0
        ? (fixtureLines[(i / 20) % fixtureLines.length]?.line ?? '')
        : `${appLines[i % appLines.length]} #${i}`,
    );
    const { code, stdout, stderr } = await runBin([
      'enrich',
      '--format',
      'jsonl',
      file('mixed.log', `${lines.join('\n')}\n`),
    ]);
    expect(code).toBe(0);
    const out = stdout.split('\n');
    expect(out.pop()).toBe('');
    expect(out).toHaveLength(10_000);
    out.forEach((json, i) => {
      const { body, attributes } = JSON.parse(json) as { body: unknown; attributes: Record<string, unknown> };
      const line = lines[i] as string;
      expect(typeof body === 'string' ? body : JSON.stringify(body)).toBe(
        typeof body === 'string' ? line : JSON.stringify(JSON.parse(line)),
      );
      if (i % 20 !== 0) expect(attributes).toEqual({});
    });
    const expected = lines.filter((_l, i) => i % 20 === 0).length;
    const tagged = out.filter((json) => 'error.type' in (JSON.parse(json) as { attributes: object }).attributes).length;
    expect(tagged).toBeGreaterThan(expected / 2);
    expect(stderr).toMatch(/^summary 10000 lines · \d+ platform errors/);
  });

  it('gives every fixture line the code the fixture expects', async () => {
    const { stdout } = await runBin(
      ['enrich', '--format', 'jsonl', '--quiet'],
      `${fixtureLines.map((f) => f.line).join('\n')}\n`,
    );
    const codes = stdout
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { attributes: Record<string, unknown> }).attributes['error.type']);
    expect(codes).toEqual(fixtureLines.map((f) => f.code));
  });

  it('turns JSON object lines into structured bodies and leaves everything else a string', async () => {
    const { stdout } = await runBin(
      ['enrich', '--format', 'jsonl', '--quiet'],
      '{"message":"[PC01] instance refused connection","event":{"provider":"proxy"}}\n[1]\n{oops\n',
    );
    const bodies = stdout
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { body: unknown }).body);
    expect(bodies).toEqual([
      { message: '[PC01] instance refused connection', event: { provider: 'proxy' } },
      '[1]',
      '{oops',
    ]);
  });
});

describe('enrich --format text', () => {
  const input = 'GET / 200\nat=error code=H99 desc="Platform error" method=GET path=/ status=503\n';

  it('prints every line, a note under each platform error, and the summary — plain when not a terminal', async () => {
    const { stdout } = await runBin(['enrich'], input);
    expect(stdout).not.toContain('\u001b[');
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('GET / 200');
    expect(lines[2]).toMatch(
      /^ {2}↳ H99 Platform error · heroku · internal · PLATFORM FAULT · https:\/\/devcenter\.heroku\.com\/articles\/error-codes#h99-platform-error$/,
    );
    expect(stdout).toContain('summary 2 lines · 1 platform error (50.0%) · 1 platform fault');
  });

  it('is coloured for a terminal (FORCE_COLOR here), and NO_COLOR wins', async () => {
    expect((await runBin(['enrich'], input, { FORCE_COLOR: '1' })).stdout).toContain('\u001b[31m');
    expect((await runBin(['enrich'], input, { FORCE_COLOR: '1', NO_COLOR: '1' })).stdout).not.toContain('\u001b[');
  });

  it('--only-matches leaves out lines without a platform error', async () => {
    const { stdout } = await runBin(['enrich', '--only-matches', '--quiet'], input);
    expect(stdout.split('\n')[0]).toMatch(/^at=error code=H99/);
    expect(stdout).not.toContain('GET / 200');
  });
});

describe('enrich as a filter on a pipe', () => {
  it('prints each line as it arrives, without waiting for the end of input', async () => {
    const child = start(['enrich', '--format', 'jsonl']);
    const done = finished(child);
    child.stdin.write('at=error code=H12 desc="Request timeout" method=GET path=/ status=503\n');
    const first = JSON.parse(await nextLine(child)) as { attributes: Record<string, unknown> };
    expect(first.attributes['error.type']).toBe('H12');
    child.stdin.write('[error][PC01] instance refused connection\n');
    const second = JSON.parse(await nextLine(child)) as { attributes: Record<string, unknown> };
    expect(second.attributes['error.type']).toBe('PC01');
    child.stdin.end();
    expect((await done).code).toBe(0);
  });

  it('stops cleanly with the summary on Ctrl-C (SIGINT)', async () => {
    const child = start(['enrich']);
    const done = finished(child);
    child.stdin.write('2011-05-03T17:40:11+00:00 heroku[worker.1]: Error R14 (Memory quota exceeded)\n');
    await nextLine(child);
    child.kill('SIGINT');
    const { code, stderr } = await done;
    expect(code).toBe(130);
    expect(stderr).toContain('summary 1 line · 1 platform error');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('exits cleanly when the reader goes away (EPIPE), e.g. `| head -1`', async () => {
    const child = start(['enrich', '--format', 'jsonl', file('long.log', 'GET / 200\n'.repeat(200_000))]);
    const done = finished(child);
    await nextLine(child);
    child.stdout.destroy();
    const { code, stderr } = await done;
    expect(code).toBe(0);
    expect(stderr).not.toMatch(/Error|\n\s+at /);
  });
});

describe('enrich on bad input', () => {
  it('reads a binary file as text, says so once, and never prints a stack trace', async () => {
    const binary = Buffer.from(Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 256));
    const { code, stdout, stderr } = await runBin(['enrich', '--format', 'jsonl', file('blob.bin', binary)]);
    expect(code).toBe(0);
    expect(stderr.match(/looks like a binary file/g)).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
    for (const line of stdout.trimEnd().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('replaces invalid UTF-8 and still recognises the code', async () => {
    const line = Buffer.concat([
      Buffer.from('\xff\xfe'),
      Buffer.from(' at=error code=H10 desc="App crashed" method=GET path=/ status=503\n'),
    ]);
    const { stdout } = await runBin(
      ['enrich', '--format', 'jsonl', '--quiet'],
      Buffer.concat([Buffer.from([0xc3, 0x28, 0x0a]), line]),
    );
    const [first, second] = stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { body: string; attributes: Record<string, unknown> });
    expect(first?.body).toBe('\ufffd(');
    expect(second?.attributes['error.type']).toBe('H10');
  });

  it('cuts a 10 MB line to --max-line-bytes, says so, and goes on', async () => {
    const huge = `[error][PC01] instance refused connection ${'x'.repeat(10 * 1024 * 1024)}\nGET / 200\n`;
    const { code, stdout, stderr } = await runBin(['enrich', '--format', 'jsonl', '--max-line-bytes', '4096'], huge);
    expect(code).toBe(0);
    const [first, second] = stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { body: string; attributes: Record<string, unknown> });
    expect(first?.body).toHaveLength(4096);
    expect(first?.attributes['error.type']).toBe('PC01');
    expect(second?.body).toBe('GET / 200');
    expect(stderr).toContain('line 1 is longer than 4096 bytes');
  });

  it('enriches a last line that has no newline', async () => {
    const { stdout } = await runBin(
      ['enrich', '--format', 'jsonl', '--quiet'],
      'GET / 200\nat=error code=H99 desc="Platform error" status=503',
    );
    expect(
      stdout
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { attributes: Record<string, unknown> }).attributes['error.type']),
    ).toEqual([undefined, 'H99']);
  });

  it('names a file it cannot read, goes on with the others, and exits 2', async () => {
    const good = file('good.log', 'at=error code=H12 desc="Request timeout" status=503\n');
    const { code, stdout, stderr } = await runBin(['enrich', '--format', 'jsonl', join(dir, 'missing.log'), good, dir]);
    expect(code).toBe(2);
    expect(stderr).toContain('cannot read');
    expect(stderr).toContain('missing.log: no such file');
    expect(stderr).toContain('it is a directory');
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
  });

  it('rejects bad options with a usage message and exit code 2', async () => {
    for (const args of [
      ['enrich', '--format', 'xml'],
      ['enrich', '--max-line-bytes', '-3'],
      ['enrich', '--platform', 'vercel'],
      ['enrich', '--bogus'],
    ]) {
      const { code, stderr } = await runBin(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toMatch(/^otel-platform-errors: /);
      expect(stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('enrich --format text on a terminal-bound stream', () => {
  it('prints control characters of a line as visible escapes, so no line can drive the terminal', async () => {
    const line = 'evil \u001b[31mred\u001b[0m \r overwrite \u0007 bell \u202e reversed';
    const { code, stdout } = await runBin(
      ['enrich'],
      `${line}\nError R14 (Memory quota exceeded) \u001b]0;title\u0007\n`,
    );
    expect(code).toBe(0);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence is the point
    expect(stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
    expect(stdout).toContain('evil \\x1b[31mred\\x1b[0m \\x0d overwrite \\x07 bell \\u202e reversed');
    expect(stdout).toContain('R14');
  });
});

describe('enrich --otlp', () => {
  const receiver = new OtlpReceiver();
  afterAll(() => receiver.stop());

  it('exports every record with its attributes to the collector, and still prints the lines', async () => {
    const url = await receiver.start();
    const input =
      'at=error code=H12 desc="Request timeout" status=503\nGET / 200\n{"origins":[{"healthy":false,"failure_reason":"TCP connection failed"}]}\n';
    const { code, stdout } = await runBin(['enrich', '--format', 'jsonl', '--otlp', url], input);
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(receiver.records.map((r) => r.attributes['error.type'])).toEqual([
      'H12',
      undefined,
      'tcp-connection-failed',
    ]);
    expect(receiver.records[0]?.severityNumber).toBe(17);
    expect(receiver.records[2]?.body).toMatchObject({ origins: [{ failure_reason: 'TCP connection failed' }] });
  });

  it('builds the resource the way the SDK does: OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES', async () => {
    const before = receiver.records.length;
    const url = await receiver.start();
    const { code } = await runBin(['enrich', '--quiet', '--otlp', url], 'Error R14 (Memory quota exceeded)\n', {
      OTEL_SERVICE_NAME: 'checkout',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod,service.namespace=shop',
    });
    expect(code).toBe(0);
    const [record] = receiver.records.slice(before);
    expect(record?.resource).toMatchObject({
      'service.name': 'checkout',
      'deployment.environment': 'prod',
      'service.namespace': 'shop',
      'telemetry.sdk.language': 'nodejs',
    });
  });

  it('does not drop records when the input outruns the collector', async () => {
    const before = receiver.records.length;
    const url = await receiver.start();
    receiver.behaviour = { delayMillis: 20 };
    const lines = 'at=error code=H12 desc="Request timeout" status=503\n'.repeat(20_000);
    const { code } = await runBin(['enrich', '--quiet', '--format', 'jsonl', '--otlp', url], lines);
    receiver.behaviour = {};
    expect(code).toBe(0);
    expect(receiver.records.length - before).toBe(20_000);
  }, 40_000);

  it('takes the endpoint and protocol from the standard environment variables', async () => {
    const before = receiver.records.length;
    const endpoint = (await receiver.start()).replace('/v1/logs', '');
    const { code } = await runBin(['enrich', '--quiet', '--otlp'], 'Error R14 (Memory quota exceeded)\n', {
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });
    expect(code).toBe(0);
    expect(receiver.records.slice(before).map((r) => [r.contentType, r.attributes['error.type']])).toEqual([
      ['application/json', 'R14'],
    ]);
  });

  it('reports an unreachable endpoint once, still prints every line, and fails with exit code 3', async () => {
    const lines = 'at=error code=H12 desc="Request timeout" status=503\n'.repeat(3000);
    const { code, stdout, stderr } = await runBin(
      ['enrich', '--format', 'jsonl', '--otlp', 'http://127.0.0.1:9/v1/logs'],
      lines,
    );
    expect(code).toBe(3);
    expect(stdout.trimEnd().split('\n')).toHaveLength(3000);
    expect(stderr.match(/OTLP export to http:\/\/127\.0\.0\.1:9\/v1\/logs failed/g)).toHaveLength(1);
    expect(stderr).toContain('3000 of 3000 records were not delivered to http://127.0.0.1:9/v1/logs');
  }, 40_000);

  it('says so on stderr even with --quiet when the collector rejects the records', async () => {
    const url = await receiver.start();
    receiver.behaviour = { status: 400 };
    const { code, stderr } = await runBin(['enrich', '--quiet', '--otlp', url], 'Error R14 (Memory quota exceeded)\n');
    receiver.behaviour = {};
    expect(code).toBe(3);
    expect(stderr.trim().split('\n')).toEqual([expect.stringContaining(`1 of 1 records were not delivered to ${url}`)]);
  }, 40_000);
});
