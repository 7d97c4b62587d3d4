import { type ApiHandlers, type HostKind } from '../../src-shared/api';
import { probeBackends, preferredBackend } from '../training/backendProbe';
import { APP_VERSION } from '../version';

export interface HandlerContext {
  host: HostKind;
}

/**
 * The backend's implementation of every API channel. Both hosts bind this same object,
 * so a channel handled in one host is handled in the other.
 */
export function createApiHandlers(context: HandlerContext): ApiHandlers {
  return {
    'app.info': async () => {
      const backends = await probeBackends();
      return {
        name: 'Netwright',
        version: APP_VERSION,
        platform: process.platform,
        arch: process.arch,
        nodeVersion: process.versions.node,
        host: context.host,
        backends,
        preferredBackend: preferredBackend(backends),
      };
    },
  };
}
