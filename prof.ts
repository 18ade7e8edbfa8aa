import { tf, initBackend } from './src/tf.js';
import { referenceGan } from './src/bench/reference_dcgan.js';
await initBackend((process.argv[2] ?? 'wasm') as any);
const gan = referenceGan(tf);
for (let i = 0; i < 2; i++) { const t = performance.now(); const [a, b] = gan.step(); a.dataSync(); tf.dispose([a, b]); console.log('step', performance.now() - t); }
const p = await tf.profile(() => { const [a, b] = gan.step(); a.dataSync(); return [a, b]; });
const agg = new Map<string, number>();
for (const k of p.kernels) agg.set(k.name, (agg.get(k.name) ?? 0) + (k.kernelTimeMs as number));
console.log([...agg.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([n, t]) => `TOTAL ${n} ${t.toFixed(0)}`).join('\n'));
