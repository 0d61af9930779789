// WebGPU availability probe. Never throws: a missing API, a rejected request or no adapter all
// give null.

export async function probeGpu(): Promise<GPUAdapter | null> {
  try {
    const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
    if (!gpu) return null;
    return (await gpu.requestAdapter()) ?? null;
  } catch {
    return null;
  }
}
