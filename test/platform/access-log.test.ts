import { afterEach, describe, expect, it } from 'vitest';
import { createService, type Service } from '../../platform/service.ts';
import { testConfig } from '../helpers/config.ts';
import { captureLogs } from '../helpers/log-capture.ts';
import { waitFor } from '../helpers/wait-for.ts';

describe('the access log: one line per request', () => {
  let service: Service | undefined;
  afterEach(async () => {
    await service?.close();
    service = undefined;
  });

  async function serve() {
    const { lines, logger } = captureLogs();
    service = createService({ name: 'probe', config: testConfig(), logger });
    let entered = false;
    service.app.get('/work', async () => ({ ok: true }));
    service.app.get('/hang', async (request) => {
      entered = true;
      await new Promise((resolve) => request.raw.once('close', resolve));
      return { late: true };
    });
    const url = await service.listen(0, '127.0.0.1');
    return { lines, url, entered: () => entered };
  }

  it('logs method, url, status, duration and request id on one line, and nothing for probes', async () => {
    const { lines, url } = await serve();
    const response = await fetch(`${url}/work?x=1`, { method: 'GET' });
    await fetch(`${url}/health`);
    await fetch(`${url}/ready?verbose`);
    const ofRequests = lines.filter((line) => line.requestId !== undefined);
    expect(ofRequests).toHaveLength(1);
    expect(ofRequests[0]).toMatchObject({
      msg: 'request completed',
      requestId: response.headers.get('x-request-id'),
      req: { method: 'GET', url: '/work?x=1' },
      res: { statusCode: 200 },
    });
    expect(ofRequests[0]?.responseTime).toBeTypeOf('number');
  });

  it('gives a request whose client leaves before the answer its one line', async () => {
    const { lines, url, entered } = await serve();
    const controller = new AbortController();
    const pending = fetch(`${url}/hang`, { signal: controller.signal }).catch(() => undefined);
    await waitFor(entered);
    controller.abort();
    await pending;
    expect(await waitFor(() => lines.some((line) => line.msg === 'request aborted'))).toBe(true);
    const aborted = lines.find((line) => line.msg === 'request aborted');
    expect(aborted).toMatchObject({ req: { method: 'GET', url: '/hang' } });
    expect(aborted?.requestId).toBeTypeOf('string');
  });
});
