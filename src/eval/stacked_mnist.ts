// Stacked MNIST mode coverage (Metz et al. 2017; VEEGAN, Srivastava et al. 2017; PacGAN, Lin et al. 2018): each of
// the R, G, B channels of a generated 28x28x3 image is classified as a digit by the MNIST classifier; the three
// digits name one of 1,000 modes. Reported: modes with at least one sample, and KL(mode histogram || uniform).
import { ShapeError } from '../errors.js';
import { classifyImages } from './mnist.js';
import type { MnistClassifier } from './classifier.js';

export interface StackedMnistMetrics {
  samples: number;
  /** Modes (of 1,000) with at least one sample, as counted in those papers. */
  modesCovered: number;
  /** KL(p(mode) || uniform over 1,000), in nats: 0 for a perfectly even spread, log(1000) = 6.91 for one mode. */
  klToUniform: number;
}

/** Scores images [n, 28, 28, 3] in [-1, 1]. */
export async function stackedMnistMetrics(classifier: MnistClassifier, images: Float32Array): Promise<StackedMnistMetrics> {
  if (images.length % (784 * 3) !== 0 || images.length === 0) throw new ShapeError(`stackedMnistMetrics: expected [n, 28, 28, 3] images but got ${images.length} numbers`);
  const n = images.length / (784 * 3);
  const digits: Int32Array[] = [];
  for (let c = 0; c < 3; c++) {
    const channel = new Float32Array(n * 784);
    for (let i = 0; i < n * 784; i++) channel[i] = images[i * 3 + c]!;
    const { probs } = await classifyImages(classifier, channel);
    digits.push(Int32Array.from({ length: n }, (_, i) => {
      let best = 0;
      for (let k = 1; k < 10; k++) if (probs[i * 10 + k]! > probs[i * 10 + best]!) best = k;
      return best;
    }));
  }
  const histogram = new Float64Array(1000);
  for (let i = 0; i < n; i++) histogram[digits[0]![i]! * 100 + digits[1]![i]! * 10 + digits[2]![i]!]! += 1;
  let covered = 0, kl = 0;
  for (const count of histogram) {
    if (count === 0) continue;
    covered++;
    const p = count / n;
    kl += p * Math.log(p * 1000);
  }
  return { samples: n, modesCovered: covered, klToUniform: kl };
}
