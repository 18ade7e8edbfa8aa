// The toolkit's custom layers. Importing this registers their classes with tfjs (tf.serialization.registerClass), so
// that tf.loadLayersModel can read a checkpoint's model.json in any tfjs program.
export { SpectralNormDense, spectralNormDense } from './spectral_norm.js';
export { SpectralNormConv2D, SpectralNormConv2DTranspose, spectralNormConv2d, spectralNormConv2dTranspose } from './spectral_norm_conv.js';
export { LatentCode, latentCode, latentCodeIndices } from './latent_code.js';
export { UnfusedConv2D, UnfusedDense, unfusedConv2d, unfusedDense } from './unfused.js';
