/**
 * `extractFields`: every attribute the option writes, with its value, checked against the
 * semantic-convention names published in @opentelemetry/semantic-conventions.
 */
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_NETWORK_PROTOCOL_NAME,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';
import {
  ATTR_HTTP_RESPONSE_BODY_SIZE,
  ATTR_TLS_PROTOCOL_NAME,
  ATTR_TLS_PROTOCOL_VERSION,
} from '@opentelemetry/semantic-conventions/incubating';
import { afterAll, describe, expect, it } from 'vitest';
import { Pipeline } from '../helpers/sdk.ts';

const pipeline = new Pipeline({ extractFields: true });
afterAll(() => pipeline.shutdown());

/** Only the request fields: what the processor wrote beyond the five code attributes. */
function fields(line: string): Record<string, unknown> {
  const {
    'error.type': _c,
    platform: _p,
    category: _k,
    platform_fault: _f,
    remedy_url: _r,
    ...rest
  } = pipeline.emit(line).attributes;
  return rest;
}

describe('Heroku router request fields (extractFields)', () => {
  it('legacy router line: protocol=https is the URL scheme', () => {
    const line =
      '2024-03-07T10:15:22.511733+00:00 heroku[router]: at=error code=H12 desc="Request timeout" method=POST path="/checkout?step=2" host=shop.example.com request_id=5f4c8b8e-2a8f-4a55-9f0e-2b1b3a7e9c11 fwd="203.0.113.9,10.1.2.3" dyno=web.2 connect=1ms service=30000ms status=503 bytes=0 protocol=https';
    expect(fields(line)).toEqual({
      [ATTR_HTTP_REQUEST_METHOD]: 'POST',
      [ATTR_URL_PATH]: '/checkout',
      [ATTR_URL_QUERY]: 'step=2',
      [ATTR_SERVER_ADDRESS]: 'shop.example.com',
      [ATTR_CLIENT_ADDRESS]: '203.0.113.9',
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: 503,
      [ATTR_HTTP_RESPONSE_BODY_SIZE]: 0,
      [ATTR_URL_SCHEME]: 'https',
      'heroku.router.connect_ms': 1,
      'heroku.router.service_ms': 30000,
      'heroku.dyno': 'web.2',
      'heroku.request_id': '5f4c8b8e-2a8f-4a55-9f0e-2b1b3a7e9c11',
    });
  });

  it('Router 2.0 line: protocol=http2.0 is the HTTP version, tls_version the TLS protocol', () => {
    const line =
      'heroku[router]: at=error code=H13 desc="Connection closed without response" method=GET path="/" host=my-app.example.com request_id=6903a168-b79b-ec27-03c8-b8f64d8d8792 fwd=138.68.186.89 dyno=web.1 connect=0ms service=12ms status=503 bytes=0 protocol=http2.0 tls=true tls_version=tls1.3';
    expect(fields(line)).toMatchObject({
      [ATTR_NETWORK_PROTOCOL_NAME]: 'http',
      [ATTR_NETWORK_PROTOCOL_VERSION]: '2',
      [ATTR_TLS_PROTOCOL_NAME]: 'tls',
      [ATTR_TLS_PROTOCOL_VERSION]: '1.3',
    });
    expect(fields(line)).not.toHaveProperty(ATTR_URL_SCHEME);
  });

  it.each([
    ['http1.1', { [ATTR_NETWORK_PROTOCOL_NAME]: 'http', [ATTR_NETWORK_PROTOCOL_VERSION]: '1.1' }],
    ['http', { [ATTR_URL_SCHEME]: 'http' }],
    ['spdy', {}],
  ])('protocol=%s', (protocol, expected) => {
    const line = `heroku[router]: at=error code=H12 desc="Request timeout" method=GET path=/ status=503 protocol=${protocol}`;
    const written = fields(line);
    for (const key of [ATTR_URL_SCHEME, ATTR_NETWORK_PROTOCOL_NAME, ATTR_NETWORK_PROTOCOL_VERSION]) {
      expect(written[key]).toBe((expected as Record<string, string>)[key]);
    }
  });

  it('a method semantic conventions do not name becomes _OTHER with the original kept', () => {
    const line = 'heroku[router]: at=error code=H12 desc="Request timeout" method=PROPFIND path=/dav status=503';
    expect(fields(line)).toMatchObject({
      [ATTR_HTTP_REQUEST_METHOD]: '_OTHER',
      [ATTR_HTTP_REQUEST_METHOD_ORIGINAL]: 'PROPFIND',
    });
  });

  it('empty fields (dyno=, connect=) write nothing', () => {
    const line =
      '2010-10-06T21:51:07-07:00 heroku[router]: at=error code=H99 desc="Platform error" method=GET path=/ host=myapp.herokuapp.com fwd=17.17.17.17 dyno= connect= service= status=503 bytes=';
    expect(fields(line)).toEqual({
      [ATTR_HTTP_REQUEST_METHOD]: 'GET',
      [ATTR_URL_PATH]: '/',
      [ATTR_SERVER_ADDRESS]: 'myapp.herokuapp.com',
      [ATTR_CLIENT_ADDRESS]: '17.17.17.17',
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: 503,
    });
  });
});
