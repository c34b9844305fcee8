export { saveModel, loadModel, float32ToFloat16Bits, type SaveModelOptions, readArtifacts, writeArtifacts, installFileRouter, MODEL_JSON, WEIGHTS_BIN } from './model_io.js';
export { writeFileAtomic, writeDirectoryAtomic, readDirectoryAtomic, resolveAtomicPath, DirectoryBusyError } from './atomic.js';
