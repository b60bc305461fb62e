/**
 * Fly's NATS message shape as a record (parseFlyMessage): nested and flattened fields, levels,
 * and levels that are not levels. The subscriber itself is tested against nats-server in fly.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { parseFlyMessage } from '../../src/gateway/receivers/fly/flyMessage.ts';

const SUBJECT = 'logs.shop.sjc.0e286551c30586';

describe('parseFlyMessage', () => {
  it('reads the flattened field names some shippers write as well as the nested ones', () => {
    const flat = parseFlyMessage(
      JSON.stringify({ 'fly.app.name': 'billing', 'fly.region': 'ams', 'log.level': 'WARN', message: 'm' }),
      SUBJECT,
    );
    expect(flat.resource).toMatchObject({ 'service.name': 'billing', 'cloud.region': 'ams' });
    expect([flat.severityNumber, flat.severityText]).toEqual([13, 'WARN']);
  });

  it.each(['constructor', 'toString', '__proto__', 'verbose'])(
    'keeps a message whose log.level is "%s" (no such level), without a severity',
    (level) => {
      const parsed = parseFlyMessage(JSON.stringify({ log: { level }, message: 'still here' }), SUBJECT);
      expect(parsed.body).toBe('still here');
      expect(parsed.severityNumber).toBeUndefined();
      expect(parsed.severityText).toBeUndefined();
    },
  );
});
