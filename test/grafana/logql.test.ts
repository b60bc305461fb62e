import { describe, expect, it } from 'vitest';
import { checkLogql, OUR_LABELS } from './logql.ts';

describe('the LogQL checker used by the Grafana tests', () => {
  it('knows our attributes by their Loki names', () => {
    expect(OUR_LABELS).toEqual(
      expect.arrayContaining([
        'error_type',
        'platform',
        'category',
        'platform_fault',
        'remedy_url',
        'platform_error_cause',
      ]),
    );
  });

  it.each([
    '{service_name="checkout"} | platform_fault="true"',
    'topk(10, sum by (platform, error_type) (count_over_time({service_name=~".+"} | platform=~"heroku|fly" [$__range])))',
    'sum(rate({service_name="a", service_name!="b"} | error_type="H12" [5m])) by (service_name) > 0.1',
    'sum by (platform) (count_over_time({service_name=~"$service"} | error_type=~"$code" | drop remedy_url [1h]))',
    '{service_name=~"$' + '{service:regex}"}',
    '{service_name="x"} |= "code=H12" | logfmt | platform="heroku"',
  ])('accepts %s', (query) => {
    expect(checkLogql(query, ['service', 'code'])).toEqual([]);
  });

  it.each([
    ['{service_name="x"} | error.type="H12"', 'dotted name'],
    ['{platform="heroku"}', 'not an index label'],
    ['{service_name="x"} | errortype="H12"', 'not one of our labels'],
    ['sum by (platform (count_over_time({service_name="x"}[5m]))', 'unclosed'],
    ['{service_name="x"} | platform="heroku', 'unterminated string'],
    ['counts_over_time({service_name="x"}[5m])', 'unknown function'],
    ['count_over_time({service_name="x"}[five])', 'range must be a duration'],
    ['{service_name=~"$app"}', 'undefined variable $app'],
    ['sum by (remedy) (count_over_time({service_name="x"}[5m]))', 'grouping label "remedy"'],
    ['{service_name="x"} | platform', 'needs a comparison'],
    ['count_over_time(service_name="x" [5m])', 'no stream selector'],
    ['{service_name="x"} | keep remedy, platform', 'keep label "remedy"'],
  ])('rejects %s', (query, problem) => {
    expect(checkLogql(query, ['service']).join('\n')).toContain(problem);
  });
});
