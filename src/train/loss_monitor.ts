// The losses of a run, kept on the device between reads: a read stalls a GPU pipeline, so losses are read only when
// a log or metrics line needs them. NaN/Inf is tracked on the device at every step, so that a loss that was not
// finite at any step is caught at the next read, with the step it happened at.
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../tf.js';
import { NumericError } from '../errors.js';
import { disposeStepLosses, readLosses, type StepLosses } from './steps.js';

/** The latest losses read back (NaN before the first read). */
export interface LossReading {
  dLoss: number;
  gLoss: number;
  /** D's adversarial loss without its penalties. */
  dAdversarialLoss: number;
  /** Unweighted gradient penalty and R1 values (0 when off). */
  gradientPenalty: number;
  r1: number;
  /** Mean D logit on real and on fake samples (the Wasserstein estimate of a critic is their difference). */
  dReal: number;
  dFake: number;
  /** Unweighted cross-entropies of an AC-GAN D's class head: on the real batch (D) and on G's fakes (G); 0 when off. */
  dClassLoss: number;
  gClassLoss: number;
  /** Unweighted cross-entropies of D's rotation head: on the rotated real batch (D) and on G's rotated fakes (G); 0 when off. */
  dRotationLoss: number;
  gRotationLoss: number;
  /** Unweighted cross-entropies of D's code head (InfoGAN) on G's fakes, in D's step and in G's; 0 when off. */
  dCodeLoss: number;
  gCodeLoss: number;
  /** Global L2 norms of D's and G's gradients at the step (before the update): a vanishing G gradient shows here. */
  dGradNorm: number;
  gGradNorm: number;
}

export interface LossMonitor {
  /** Takes ownership of a step's losses (device tensors) and folds its finiteness into the tracker. */
  record(step: number, losses: StepLosses): void;
  /** Reads the latest losses. Throws NumericError (with the first bad step and `context`) when any loss was not finite. */
  read(context: () => string): Promise<LossReading>;
  /** Whether anything has been read yet. */
  readonly hasRead: boolean;
  dispose(): void;
}

export function lossMonitor(): LossMonitor {
  // For D and G: the first step whose loss was not finite (0 = none yet) and that loss's value.
  let firstBad: TF.Tensor = tf.keep(tf.zeros([2], 'int32'));
  let badValue: TF.Tensor = tf.keep(tf.zeros([2]));
  let latest: StepLosses | null = null;
  let hasRead = false;
  const reading: LossReading = { dLoss: Number.NaN, gLoss: Number.NaN, dAdversarialLoss: Number.NaN, gradientPenalty: 0, r1: 0, dReal: Number.NaN, dFake: Number.NaN, dClassLoss: 0, gClassLoss: 0, dRotationLoss: 0, gRotationLoss: 0, dCodeLoss: 0, gCodeLoss: 0, dGradNorm: Number.NaN, gGradNorm: Number.NaN };
  return {
    record(step, losses) {
      const [nextBad, nextValue] = tf.tidy(() => {
        const record = tf.logicalAnd(tf.equal(firstBad, 0), tf.logicalNot(losses.finite));
        return [
          tf.where(record, tf.fill([2], step, 'int32'), firstBad),
          tf.where(record, tf.stack([losses.discriminator.loss, losses.generator.loss]), badValue),
        ];
      });
      tf.dispose([firstBad, badValue]);
      firstBad = tf.keep(nextBad!);
      badValue = tf.keep(nextValue!);
      if (latest) disposeStepLosses(latest);
      latest = losses;
    },
    async read(context) {
      const [bad, values] = await Promise.all([firstBad.data(), badValue.data()]);
      const [dBad, gBad] = [bad[0]!, bad[1]!];
      if (dBad > 0 || gBad > 0) {
        const d = dBad > 0 && (gBad === 0 || dBad <= gBad);
        throw new NumericError(`step ${d ? dBad : gBad}: ${d ? 'discriminator' : 'generator'} loss is ${values[d ? 0 : 1]}; ${context()}`);
      }
      if (latest) {
        // One device read for D's parts and G's loss.
        const { gLoss, gClassLoss, gRotationLoss, gCodeLoss, gGradNorm, ...d } = await readLosses({
          ...latest.discriminator, gLoss: latest.generator.loss, gClassLoss: latest.generator.classLoss,
          gRotationLoss: latest.generator.rotationLoss, gCodeLoss: latest.generator.codeLoss, gGradNorm: latest.generator.gradientNorm,
        });
        const g = { loss: gLoss, classLoss: gClassLoss, rotationLoss: gRotationLoss, codeLoss: gCodeLoss, gradientNorm: gGradNorm };
        latest.finite.dispose();
        latest = null;
        Object.assign(reading, { dLoss: d.loss, gLoss: g.loss, dAdversarialLoss: d.adversarialLoss, gradientPenalty: d.gradientPenalty, r1: d.r1, dReal: d.realLogit, dFake: d.fakeLogit, dClassLoss: d.classLoss, gClassLoss: g.classLoss, dRotationLoss: d.rotationLoss, gRotationLoss: g.rotationLoss, dCodeLoss: d.codeLoss, gCodeLoss: g.codeLoss, dGradNorm: d.gradientNorm, gGradNorm: g.gradientNorm });
        hasRead = true;
      }
      return { ...reading };
    },
    get hasRead() { return hasRead; },
    dispose() {
      tf.dispose([firstBad, badValue]);
      if (latest) disposeStepLosses(latest);
      latest = null;
    },
  };
}
