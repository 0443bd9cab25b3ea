import { afterEach, describe, expect, it } from 'vitest';
import type { SchemaCheckReport } from '../../cli/schema/report.ts';
import { type SchemaFixture, schemaFixture } from '../helpers/schema-fixture.ts';

const WEB = 'bffs/web/schema.graphql';
const MOBILE = 'bffs/mobile/schema.graphql';
const PERCENT = '  percentUsed: Float!\n';

/** A web app and a mobile app registered on their BFFs, as portico.yaml's schemaCheck.apps does. */
function registerApps(fixture: SchemaFixture): void {
  fixture.write(
    'apps/web/operations/dashboard.graphql',
    `query WebDashboard {
  dashboard { quota { ...Quota } health { status checkedAt } generatedAt }
}
`,
  );
  fixture.write(
    'apps/web/operations/fragments.graphql',
    'fragment Quota on QuotaCard { percentUsed resetsAt }\n',
  );
  fixture.write(
    'apps/ios/persisted-queries.json',
    JSON.stringify({
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [
        {
          id: 'a1b2',
          name: 'HomeScreen',
          type: 'query',
          body: 'query HomeScreen { home { greeting quotaPercent status } }',
        },
      ],
    }),
  );
  fixture.edit(
    'portico.yaml',
    'manifests: []',
    `manifests: []
  apps:
    - { name: web-dashboard, bff: web, operations: [apps/web/operations/*.graphql] }
    - { name: ios, bff: mobile, operations: [apps/ios/persisted-queries.json] }`,
  );
}

describe('portico schema check on the BFF schemas', () => {
  let fixture: SchemaFixture;
  afterEach(() => fixture?.remove());

  it('passes as committed, each BFF up to date with its published contract', async () => {
    fixture = schemaFixture({ bffs: true });
    registerApps(fixture);
    const { code, out } = await fixture.check();
    expect(code).toBe(0);
    expect(out).toContain('bffs/web/generated/schema.graphql is up to date with bffs/web/schema.graphql');
    expect(out).toContain('web BFF app operations affected: 0 of 1 registered operation (web-dashboard 1)');
    expect(out).toContain('mobile BFF app operations affected: 0 of 1 registered operation (ios 1)');
  });

  it('fails a removed field an app operation uses, naming the app, the operation and where it is', async () => {
    fixture = schemaFixture({ bffs: true });
    registerApps(fixture);
    fixture.edit(WEB, /\s*"tokensUsed in % of tokenLimit[^\n]*\n {2}percentUsed: Float!\n/, '\n');
    const { code, out } = await fixture.check();
    expect(code).toBe(1);
    expect(out).toMatch(/^Schema check: FAIL/);
    expect(out).toContain(
      "BREAKING  QuotaCard.percentUsed: Field 'percentUsed' was removed from object type 'QuotaCard'",
    );
    expect(out).toContain(
      'breaks 1 operation:\n              web-dashboard  WebDashboard  apps/web/operations/dashboard.graphql:1',
    );
    expect(out).toContain('Cannot query field "percentUsed" on type "QuotaCard".');
    expect(out).toContain(
      '  - web BFF: QuotaCard.percentUsed: breaking change breaks 1 operation (web-dashboard WebDashboard)',
    );
    // The change is in the web BFF alone: the supergraph and the other BFFs are unchanged.
    expect(out).toContain('none: the API schema is unchanged');
    expect(out).toContain('mobile BFF changes: 0 breaking, 0 dangerous, 0 safe');
  });

  it('fails a retyped field an app operation uses, though the operation still validates', async () => {
    fixture = schemaFixture({ bffs: true });
    registerApps(fixture);
    fixture.edit(WEB, PERCENT, '  percentUsed: String!\n');
    const { code, out } = await fixture.check();
    expect(code).toBe(1);
    expect(out).toContain(
      "BREAKING  QuotaCard.percentUsed: Field 'QuotaCard.percentUsed' changed type from 'Float!' to 'String!'",
    );
    expect(out).toContain('still validates against the new BFF schema');
    expect(out).toContain(
      '  - web BFF: QuotaCard.percentUsed: breaking change breaks 1 operation (web-dashboard WebDashboard)',
    );
  });

  it('names a persisted mobile operation by app and id when Home.quotaPercent goes', async () => {
    fixture = schemaFixture({ bffs: true });
    registerApps(fixture);
    fixture.edit(MOBILE, /\s*"Share of the rolling[^\n]*\n {2}quotaPercent: Float\n/, '\n');
    const { code, out } = await fixture.check();
    expect(code).toBe(1);
    expect(out).toContain('ios  HomeScreen  apps/ios/persisted-queries.json#a1b2');
    expect(out).toContain(
      '  - mobile BFF: Home.quotaPercent: breaking change breaks 1 operation (ios HomeScreen)',
    );
  });

  it('passes a safe addition, listing it as safe', async () => {
    fixture = schemaFixture({ bffs: true });
    registerApps(fixture);
    fixture.edit(
      WEB,
      PERCENT,
      `${PERCENT}  "Tokens left. Source: billing, metering. Served with its parent."\n  tokensLeft: Float\n`,
    );
    const { code, out } = await fixture.check();
    expect(code).toBe(0);
    expect(out).toContain('web BFF changes: 0 breaking, 0 dangerous, 2 safe'); // the field, and its description
    expect(out).toMatch(
      /SAFE +QuotaCard\.tokensLeft: Field 'tokensLeft' was added to object type 'QuotaCard'/,
    );
    expect(out).toContain('the changes below are not published yet (npm run codegen)');
  });

  it('with --base, judges against schema.graphql at the ref and demands the contract be regenerated', async () => {
    fixture = schemaFixture({ bffs: true });
    registerApps(fixture);
    fixture.commitAll();
    fixture.edit(
      WEB,
      PERCENT,
      `${PERCENT}  "Tokens left. Source: billing, metering. Served with its parent."\n  tokensLeft: Float\n`,
    );
    const { code, out } = await fixture.check('--base', 'HEAD');
    expect(code).toBe(1);
    expect(out).toContain('base: bffs/web/schema.graphql at HEAD');
    expect(out).toContain(
      '  - bffs/web/generated/schema.graphql is out of date with bffs/web/schema.graphql: run npm run codegen',
    );
  });

  it('markdown and json name the same app and operation', async () => {
    fixture = schemaFixture({ bffs: true });
    registerApps(fixture);
    fixture.edit(WEB, PERCENT, '  percentUsed: String!\n');
    const markdown = await fixture.check('--format', 'markdown');
    expect(markdown.code).toBe(1);
    expect(markdown.out).toContain('### BFF web');
    expect(markdown.out).toContain('### web BFF changes');
    expect(markdown.out).toContain(
      '❌ **web-dashboard** `WebDashboard` `apps/web/operations/dashboard.graphql:1`',
    );
    expect(markdown.out).toContain(
      '- web BFF: QuotaCard.percentUsed: breaking change breaks 1 operation (web-dashboard WebDashboard)',
    );
    const json = await fixture.check('--format', 'json');
    expect(json.code).toBe(1);
    const report = JSON.parse(json.out) as SchemaCheckReport;
    const web = report.bffs.find((bff) => bff.bff === 'web')!;
    expect(web.changes).toEqual([
      expect.objectContaining({
        level: 'breaking',
        coordinate: 'QuotaCard.percentUsed',
        broken: [
          {
            frontend: 'web-dashboard',
            file: 'apps/web/operations/dashboard.graphql',
            name: 'WebDashboard',
            line: 1,
          },
        ],
      }),
    ]);
    expect(report.failures).toContain(
      'web BFF: QuotaCard.percentUsed: breaking change breaks 1 operation (web-dashboard WebDashboard)',
    );
  });

  it('an app whose operations path matches nothing is an input error (exit 2)', async () => {
    fixture = schemaFixture({ bffs: true });
    registerApps(fixture);
    fixture.edit('portico.yaml', 'apps/ios/persisted-queries.json', 'apps/ios/missing.json');
    const { code, err } = await fixture.check();
    expect(code).toBe(2);
    expect(err).toContain('schemaCheck.apps ios: apps/ios/missing.json matches no file');
  });
});
