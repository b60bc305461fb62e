/**
 * How the pre-filter combines the recognisers' trigger patterns into one expression. Its
 * soundness over real and generated records is test/robustness/prefilter.test.ts; this is the
 * combination itself and what it lets through on ordinary lines.
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/core/catalog/loadCatalog.ts';
import { combinePatterns, Prefilter } from '../../src/core/Prefilter.ts';
import { recognisers } from '../../src/core/recognisers/index.ts';

describe('combinePatterns', () => {
  it('merges code shapes that differ only in their first set, keeping the shortest repeat', () => {
    expect(combinePatterns(['H[0-9]{2}', 'R[0-9]{2,3}', 'L[0-9]{2}'])?.source).toBe('[HLR][0-9][0-9]');
  });

  it('keeps shapes with a different rest, and patterns that are not simple sequences, as they are', () => {
    const source = combinePatterns(['H[0-9]{2}', 'E[0-9]{4}', String.raw`proxy[ \[]`, 'uccess\\W*[Ff]alse'])?.source;
    expect(source?.split('|').sort()).toEqual(
      ['E[0-9][0-9][0-9][0-9]', 'H[0-9][0-9]', String.raw`proxy[ \[]`, 'uccess\\W*[Ff]alse'].sort(),
    );
  });

  it('is undefined without patterns', () => {
    expect(combinePatterns([])).toBeUndefined();
  });
});

describe('the built-in pre-filter', () => {
  const filter = new Prefilter(recognisers, loadCatalog());

  it.each([
    'GET /healthz 200 0.8ms ua=kube-probe/1.2 host=web-7d9f',
    'Completed 200 OK in 45ms (Views: 12.3ms | ActiveRecord: 8.1ms) user=4821 path=/api/v1/orders/9912',
    '{"level":30,"msg":"request completed","res":{"statusCode":200},"responseTime":12.4}',
    'ERROR Unhandled error in job SyncInvoices: Timeout waiting for lock (30000ms)',
  ])('rejects an ordinary line: %s', (line) => {
    expect(filter.text(line)).toBe(false);
  });

  it.each([
    'at=error code=H12 desc="Request timeout"',
    '[PC01] instance refused connection',
    '{"success":false,"errors":[{"code":9109,"message":"Invalid access token"}]}',
    'Error: 9109: Invalid access token',
    '"failure_reason": "TCP connection failed",',
  ])('lets a platform form through: %s', (line) => {
    expect(filter.text(line)).toBe(true);
  });

  it('reads trigger fields and message fields of objects, not other keys', () => {
    expect(filter.object({ event: { provider: 'proxy' }, message: 'x' }, 16384)).toBe(true);
    expect(filter.object({ msg: 'at=error code=H12 desc="Request timeout"' }, 16384)).toBe(true);
    expect(filter.object({ note: 'at=error code=H12 desc="Request timeout"' }, 16384)).toBe(false);
    expect(filter.fields({ msg: 'at=error code=H12' })).toBe(false);
  });
});
