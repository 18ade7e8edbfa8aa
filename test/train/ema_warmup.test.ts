import { describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../src/tf.js';
import { createEma, emaDecayAt, updateEma } from '../../src/train/ema.js';

describe('EMA warm-up (TensorFlow ExponentialMovingAverage num_updates)', () => {
  it('uses min(decay, (1 + n) / (10 + n)) after n updates', () => {
    expect(emaDecayAt(0.999, 0)).toBeCloseTo(0.1, 12);
    expect(emaDecayAt(0.999, 90)).toBeCloseTo(0.91, 12);
    expect(emaDecayAt(0.999, 8990)).toBeCloseTo(0.999, 12);
    expect(emaDecayAt(0.99, 1e6)).toBe(0.99);
  });

  it('forgets the initial weights: after 2,000 updates towards 1, a 0.999 average of a weight started at 0 is > 0.99', async () => {
    await initBackend('cpu');
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 1, kernelInitializer: 'zeros', useBias: false })] });
    const ema = createEma(model, null);
    model.setWeights([tf.ones([1, 1])]);
    for (let n = 0; n < 2000; n++) updateEma(ema, model, 0.999, n);
    const warm = (await ema[0]!.data())[0]!;
    // Without the warm-up the average would be 1 - 0.999^2000 = 0.865.
    expect(warm).toBeGreaterThan(0.99);
    expect(warm).toBeLessThanOrEqual(1);
    tf.dispose(ema);
    model.dispose();
  });
});
