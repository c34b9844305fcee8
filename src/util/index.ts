export { Random } from './random.js';
export type { RandomState } from './random.js';
export * from './validate.js';
export { countHostReads } from './host_reads.js';
export { isHostMemoryBackend, canReadSynchronously } from './host_memory_backend.js';
export { addAll, MAX_ADDN_INPUTS } from './add_all.js';
export { preciseSinCos } from './precise_trig.js';
