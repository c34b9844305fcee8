/** @deprecated Glow's flow components moved to `src/layers/glow/`; this path re-exports them. */
export { ActNorm, InvConv1x1, InvConv1x1LU, ReversePermutation, ShufflePermutation, Coupling, SplitPrior, TopPrior, ZeroConv, ActnormConv } from '../../layers/glow/index.js';
export type { ChannelSplit, MakeWeight, FlowOut, Permutation } from '../../layers/glow/index.js';
