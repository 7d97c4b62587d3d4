import { describe, expect, it } from 'vitest';
import { dispatch, toWireError } from '../../../src-main/api/dispatch';
import { createHandlerContext } from '../../../src-main/api/context';
import { createApiHandlers } from '../../../src-main/api/handlers';
import { testWorkspace } from '../../support/workspace';
import { ApiError, apiChannels, CHANNEL_NAMES, isChannelName, parseRequest, ServerMessage } from '../../../src-shared/api';

describe('API contract', () => {
  it('lists every channel once, each with request and response schemas', () => {
    expect(CHANNEL_NAMES.length).toBe(new Set(CHANNEL_NAMES).size);
    for (const name of CHANNEL_NAMES) {
      expect(apiChannels[name].request).toBeDefined();
      expect(apiChannels[name].response).toBeDefined();
    }
  });

  it.each([
    ['app.info', true],
    ['toString', false],
    ['__proto__', false],
    ['app.nope', false],
  ])('knows whether %s is a channel', (name, expected) => {
    expect(isChannelName(name)).toBe(expected);
  });

  it('names the channel and field of an invalid request', () => {
    expect(() => parseRequest('app.info', { stray: 1 })).toThrow(/Invalid request for 'app.info'/);
    expect(() => parseRequest('app.info', 'text')).toThrow(ApiError);
  });

  it('dispatches to the handler and validates its response', async () => {
    const info = await dispatch(createApiHandlers(createHandlerContext('web', { workspaceDir: testWorkspace() })), 'app.info', {});
    expect(apiChannels['app.info'].response.safeParse(info).success).toBe(true);
  });

  it.each([
    ['a length that is an object', 'runs.exportCsv', { ids: { length: { toString: 1 } } }],
    ['a length that is an object, nested', 'files.save', { path: 'a.netwright', document: { nodes: { length: { valueOf: null, toString: null } } } }],
  ])('answers a payload that makes the validator itself throw (%s) as an invalid request', async (_label, channel, payload) => {
    const handlers = createApiHandlers(createHandlerContext('web', { workspaceDir: testWorkspace() }));
    const error: unknown = await dispatch(handlers, channel, payload).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(toWireError(error)).toMatchObject({ code: 'invalid-request', message: expect.stringContaining(`Invalid request for '${channel}'`) });
  });

  it('refuses an invalid response from a handler as a bug, not a crash', async () => {
    const broken = { 'app.info': async () => ({ name: 'Other' }) } as unknown as ReturnType<typeof createApiHandlers>;
    await expect(dispatch(broken, 'app.info', {})).rejects.toThrow(/invalid 'app.info' response/);
  });

  it('turns unexpected errors into user-readable wire errors', () => {
    expect(toWireError(new ApiError('Bad input', 'invalid-request'))).toEqual({ message: 'Bad input', code: 'invalid-request' });
    expect(toWireError(new Error('boom'))).toEqual({ message: 'Unexpected error in the backend: boom', code: 'failed' });
  });

  it('accepts each kind of server message', () => {
    expect(ServerMessage.safeParse({ kind: 'response', id: 1, ok: true, payload: {} }).success).toBe(true);
    expect(ServerMessage.safeParse({ kind: 'response', id: 1, ok: false, error: { message: 'm', code: 'c' } }).success).toBe(true);
    expect(ServerMessage.safeParse({ kind: 'event', event: 'app.notice', payload: {} }).success).toBe(true);
    expect(ServerMessage.safeParse({ kind: 'response', id: 1, ok: false }).success).toBe(false);
  });
});
