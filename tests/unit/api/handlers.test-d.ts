import { expectTypeOf, test } from 'vitest';
import type { createApiHandlers } from '../../../src-main/api/handlers';
import type { bindIpc } from '../../../src-main/hosts/electron/ipc';
import type { startWebHost } from '../../../src-main/hosts/web/webHost';
import type { ApiHandlers, ChannelName, ElectronBridge, RequestOf, ResponseOf } from '../../../src-shared/api';

test('the handler map has exactly one handler per channel, with the contract types', () => {
  expectTypeOf<keyof ApiHandlers>().toEqualTypeOf<ChannelName>();
  expectTypeOf<ApiHandlers['app.info']>().parameter(0).toEqualTypeOf<RequestOf<'app.info'>>();
  expectTypeOf<ReturnType<ApiHandlers['app.info']>>().resolves.toEqualTypeOf<ResponseOf<'app.info'>>();
  expectTypeOf<ReturnType<typeof createApiHandlers>>().toEqualTypeOf<ApiHandlers>();
});

test('both hosts take the complete handler map', () => {
  expectTypeOf<Parameters<typeof startWebHost>[0]['handlers']>().toEqualTypeOf<ApiHandlers>();
  expectTypeOf<Parameters<typeof bindIpc>[1]>().toEqualTypeOf<ApiHandlers>();
});

test('the Electron preload bridge has one method per channel', () => {
  expectTypeOf<keyof ElectronBridge['channels']>().toEqualTypeOf<ChannelName>();
});
