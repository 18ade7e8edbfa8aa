// The from-scratch float64 GAN math (a port of the seed's NumPy code), exported as the `scratch` namespace.
export { Matrix } from './matrix.js';
export { largestSingularValue, singularValues, symmetricEigenvalues } from './linalg.js';
export { Mlp, heInit } from './mlp.js';
export type { Activation, MlpParams } from './mlp.js';
export { Generator, Discriminator, WassersteinCritic } from './networks.js';
export { discriminatorLoss, generatorLossNonSaturating, generatorLossSaturating, wassersteinLoss } from './losses.js';
export { gradientPenalty, interpolate } from './gradient-penalty.js';
export { powerIteration, spectralNormalize } from './spectral-norm.js';
export { sample8Gaussians, ringCenters } from './data.js';
export { trainGan, trainWgan, SEED_1D, SEED_WGAN } from './train.js';
export type { GanLoopConfig, WganLoopConfig, Snapshot } from './train.js';
