// Devices: the CPU always; 'gpu' joins once WebGPU offload lands (ROADMAP 6, ts/gpu/).
export function devices(): string[] { return ['cpu']; }
