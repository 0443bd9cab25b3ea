import { startBenchSubgraphs } from './subgraphs.ts';

/** Child process: the four benchmark subgraphs; prints their URLs as one JSON line when listening. */
const { urls, close } = await startBenchSubgraphs();
process.stdout.write(`${JSON.stringify(urls)}\n`);
process.once('SIGTERM', () => {
  close().finally(() => process.exit(0));
});
