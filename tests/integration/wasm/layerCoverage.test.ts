/**
 * Every layer kind trains on wasm with Netwright's kernels and matches the cpu backend within 1e-3
 * (the shared check: ../backends/layerCoverage.ts; the kernels: src-main/training/wasm/index.ts).
 */
import { beforeAll } from 'vitest';
import { describeLayerCoverage } from '../backends/layerCoverage';
import { prepareBackends } from './backendHarness';

beforeAll(prepareBackends);

describeLayerCoverage('wasm', { tolerance: 1e-3 });
