/**
 * Every layer kind trains on WebGPU and matches the cpu backend (the shared check:
 * ../backends/layerCoverage.ts). In CI this runs on lavapipe, Mesa's software Vulkan driver.
 */
import { beforeAll, describe } from 'vitest';
import { describeLayerCoverage } from '../backends/layerCoverage';
import { expectAdapterInCi, prepareWebGpu, suiteTitle, webGpuAvailability } from './webgpuHarness';

const availability = await webGpuAvailability();

describe.skipIf(availability.skip)(suiteTitle('WebGPU', availability), () => {
  beforeAll(() => prepareWebGpu(availability));
  expectAdapterInCi(availability);
  describeLayerCoverage('webgpu', { tolerance: 1e-3, timeout: 120_000 });
});
