/**
 * Every layer kind trains on WebGPU and matches the cpu backend within 1e-3, the same tolerance as
 * wasm (the shared check: ../backends/layerCoverage.ts). In CI this runs on lavapipe, Mesa's
 * software Vulkan driver (float32, like cpu: measured differences from cpu are 1e-7 to 5e-6).
 * CPU forwarding is off, so the WGSL kernels are what is checked, not tfjs's CPU code for small ops.
 *
 * What training on tfjs-backend-webgpu 4.22 found (src-main/training/webgpu/index.ts):
 * - missing: no kernel the layers need; every gradient kernel exists and matches cpu;
 * - wrong: AddN with 8 or more inputs (beyond WebGPU's 8 storage buffers per shader) fails
 *   validation and returns garbage silently; replaced. No layer uses AddN, but the divergence
 *   check does, so whole runs hit it (training.test.ts); kernels.test.ts checks the fix;
 * - not a kernel: synchronous reads (dataSync) need OffscreenCanvas, absent in Node; read with data().
 * The compiler's BatchNormalization and LSTM fall back to TF.js' own ops here (Netwright's fused
 * kernels are registered for wasm only) and match cpu too. Every test also fails on any WebGPU
 * validation error Dawn reports, since those never throw.
 */
import { afterEach, beforeAll, describe } from 'vitest';
import { describeLayerCoverage } from '../backends/layerCoverage';
import { expectAdapterInCi, expectNoDeviceErrors, prepareWebGpu, suiteTitle, webGpuAvailability } from './webgpuHarness';

const availability = await webGpuAvailability();

describe.skipIf(availability.skip)(suiteTitle('WebGPU', availability), () => {
  beforeAll(() => prepareWebGpu(availability, { gpuOnly: true }));
  afterEach(expectNoDeviceErrors);
  expectAdapterInCi(availability);
  describeLayerCoverage('webgpu', { tolerance: 1e-3, timeout: 120_000 });
});
