// The WebGPU probe (the only GPU code until offload lands): null without navigator.gpu, the
// adapter when one is offered, null (not a throw) when requestAdapter fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probeGpu } from '../ts/gpu/probe.ts';

function withNavigator<T>(nav: unknown, fn: () => Promise<T>): Promise<T> {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  Object.defineProperty(globalThis, 'navigator', { value: nav, configurable: true, writable: true });
  return fn().finally(() => {
    if (saved) Object.defineProperty(globalThis, 'navigator', saved);
    else delete (globalThis as any).navigator;
  });
}

test('probeGpu: null without WebGPU, the adapter with it, null when the request throws', async () => {
  assert.equal(await withNavigator(undefined, probeGpu), null);
  assert.equal(await withNavigator({}, probeGpu), null);
  const adapter = { info: { vendor: 'fake' } };
  assert.equal(await withNavigator({ gpu: { requestAdapter: async () => adapter } }, probeGpu), adapter);
  assert.equal(await withNavigator({ gpu: { requestAdapter: async () => null } }, probeGpu), null);
  assert.equal(await withNavigator({ gpu: { requestAdapter: async () => { throw new Error('no'); } } }, probeGpu), null);
});
