import { describe, expect, it } from 'vitest';
import type { FastifyRequest } from 'fastify';
import { RequestAbandonedError, stopIfAbandoned } from '../src/limits.js';

/** A request as stopIfAbandoned sees it: its signal (aborted or not, why) and its connection. */
function request(aborted: false | { reason: unknown }, socket: { destroyed: boolean } | undefined): FastifyRequest {
  const ac = new AbortController();
  if (aborted) ac.abort(aborted.reason);
  return { method: 'POST', url: '/x', signal: ac.signal, raw: { socket } } as unknown as FastifyRequest;
}

describe('stopIfAbandoned', () => {
  it('goes on while nobody aborted, and after a POST body was read to its end with the browser still there', () => {
    expect(() => stopIfAbandoned(request(false, { destroyed: false }))).not.toThrow();
    // Node emits the request's 'close' once its body is read; fastify aborts the signal on it.
    expect(() => stopIfAbandoned(request({ reason: undefined }, { destroyed: false }))).not.toThrow();
  });

  it('stops when the deadline passed or the connection is gone', () => {
    const deadline = { reason: Object.assign(new Error('late'), { code: 'FST_ERR_HANDLER_TIMEOUT' }) };
    expect(() => stopIfAbandoned(request(deadline, { destroyed: false }))).toThrow(RequestAbandonedError);
    expect(() => stopIfAbandoned(request({ reason: undefined }, { destroyed: true }))).toThrow('POST /x abandoned');
    expect(() => stopIfAbandoned(request({ reason: undefined }, undefined))).toThrow(RequestAbandonedError);
  });
});
