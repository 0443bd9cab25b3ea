import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePorts, spawnPortico } from '../helpers/process.ts';

describe('portico serve', () => {
  it('says which variable moves a taken port, in one line without a stack, and exits 1', async () => {
    const [port] = await freePorts(1);
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const proc = spawnPortico(['serve', 'billing'], { PORTICO_BILLING_PORT: String(port) });
      expect(await proc.exited).toBe(1);
      expect(proc.output().trim()).toBe(
        `portico: billing cannot listen on 127.0.0.1:${port}: the port is in use; set PORTICO_BILLING_PORT to move it`,
      );
    } finally {
      squatter.close();
    }
  });
});
