// Classifier score exp(E_x KL(p(y|x) || p(y))): the Inception Score (Salimans et al. 2016) with a domain
// classifier, as TF-GAN's mnist_score. Ranges from 1 (all samples look alike) to the number of classes.
import { ShapeError } from '../errors.js';

/** Score of class probabilities `probs` ([n, numClasses] row-major, rows summing to 1), in float64. */
export function classifierScore(probs: ArrayLike<number>, numClasses: number): number {
  if (probs.length % numClasses !== 0 || probs.length === 0) {
    throw new ShapeError(`classifierScore: expected [n, ${numClasses}] probabilities but got ${probs.length} numbers`);
  }
  const n = probs.length / numClasses;
  const marginal = new Float64Array(numClasses);
  for (let i = 0; i < n; i++) for (let k = 0; k < numClasses; k++) marginal[k]! += probs[i * numClasses + k]! / n;
  let kl = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < numClasses; k++) {
      const p = probs[i * numClasses + k]!;
      if (p > 0) kl += p * (Math.log(p) - Math.log(marginal[k]!));
    }
  }
  return Math.exp(kl / n);
}
