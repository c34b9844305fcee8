/** @deprecated Glow's tensor ops moved to `src/layers/glow/ops.ts`; this path re-exports them. */
export { squeeze2d, unsqueeze2d, edgePad, channels, splitInterleaved, splitChunked, gaussianLogp } from '../../layers/glow/index.js';
