import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT_CLOSED_PIPE, maskProcessOutput } from '../src/index.js';

const streamError = (code: string) => Object.assign(new Error(`write ${code}`), { code });

describe('maskProcessOutput on a closed pipe', () => {
  afterEach(() => vi.restoreAllMocks());

  it('ends the process quietly with the status of a tool that SIGPIPE ended (141)', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const out = new PassThrough();
    maskProcessOutput([out]);
    out.emit('error', streamError('EPIPE'));
    expect(exit).toHaveBeenCalledExactlyOnceWith(141);
    expect(EXIT_CLOSED_PIPE).toBe(141);
  });

  it('leaves any other stream error to crash as before', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const out = new PassThrough();
    maskProcessOutput([out]);
    expect(() => out.emit('error', streamError('EIO'))).toThrow('write EIO');
    expect(exit).not.toHaveBeenCalled();
  });

  it('still masks what is written', () => {
    const out = new PassThrough();
    maskProcessOutput([out]);
    out.write('bsn 123456782\n');
    expect(out.read().toString()).toBe('bsn *****6782\n');
  });
});
