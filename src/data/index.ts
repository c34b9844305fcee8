/**
 * Data: the embedded synthetic faces (identity, AU, emotion and pose ground truth), backend-agnostic
 * dataset parsers (bytes/strings in) and streaming iterators. File and folder loaders that read
 * disks and decode images are Node-only, in `gankit/node`.
 */
export * from './synth_faces/index.js';
export * from './parsers/index.js';
export { batches, arraySource } from './stream.js';
export type { SourceExample, ExampleSource, BatchOptions, DataBatch } from './stream.js';
