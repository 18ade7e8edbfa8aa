// `gan` from the TypeScript sources, for tests that spawn the CLI without a build: node --import tsx gan_child.ts ARGS.
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
