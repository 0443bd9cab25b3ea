import { afterEach, describe, expect, it } from 'vitest';
import type { SchemaCheckReport } from '../../cli/schema/report.ts';
import { type SchemaFixture, schemaFixture } from '../helpers/schema-fixture.ts';

const MODELS = 'subgraphs/models/schema.graphql';

/** Operations as the BFFs will register them: one folder per frontend. */
function addBffOperations(fixture: SchemaFixture): void {
  fixture.write(
    'bffs/web/operations/models.graphql',
    `query ModelList($first: Int, $status: ModelStatus) {
  models(first: $first, status: $status) {
    nodes { id name family provider status pricing { inputPer1kTokens } }
    pageInfo { hasNextPage endCursor }
  }
}

query ModelDetail($id: ID!) {
  model(id: $id) { id name contextWindow replacement { id name } availability { status } }
}
`,
  );
  fixture.write(
    'bffs/mobile/operations/home.graphql',
    `query Home {
  tenant { name plan { ...PlanBadge } usage(window: LAST_7D) { requests cost } }
  health { status }
}
`,
  );
  // A fragment shared across the frontend's files.
  fixture.write('bffs/mobile/operations/fragments.graphql', 'fragment PlanBadge on Plan { name tier }\n');
  fixture.write(
    'bffs/cli/operations/status.graphql',
    `query Status { health { status services { name status latencyMs } openIncidents { id title severity } } }
`,
  );
}

describe('portico schema check', () => {
  let fixture: SchemaFixture;
  afterEach(() => fixture?.remove());

  it('passes on the repository as committed, with no BFF operations registered', async () => {
    fixture = schemaFixture();
    const { code, out } = await fixture.check();
    expect(code).toBe(0);
    expect(out).toMatch(/^Schema check: PASS/);
    expect(out).toContain('ok: models, billing, metering, health composed');
    expect(out).toContain('supergraph.graphql is up to date with supergraph.yaml');
    expect(out).toContain('none: the API schema is unchanged');
    expect(out).toContain('0 registered operations');
  });

  it('passes an additive change and lists it as safe', async () => {
    fixture = schemaFixture();
    addBffOperations(fixture);
    fixture.edit(MODELS, '  releasedAt: String!\n', '  releasedAt: String!\n  license: String\n');
    const { code, out } = await fixture.check();
    expect(code).toBe(0);
    expect(out).toContain('Changes: 0 breaking, 0 dangerous, 1 safe');
    expect(out).toMatch(/SAFE +Model\.license: Field 'license' was added to object type 'Model'/);
    expect(out).toContain('Affected operations: 0 of 4 registered operations (cli 1, mobile 1, web 2)');
  });

  it('fails a removed field that a BFF operation uses, naming frontend, file and operation', async () => {
    fixture = schemaFixture();
    addBffOperations(fixture);
    fixture.edit(MODELS, '  family: String!\n', '');
    const { code, out } = await fixture.check();
    expect(code).toBe(1);
    expect(out).toMatch(/^Schema check: FAIL/);
    expect(out).toContain("BREAKING  Model.family: Field 'family' was removed from object type 'Model'");
    expect(out).toContain(
      'breaks 1 operation:\n              web  ModelList  bffs/web/operations/models.graphql:1',
    );
    expect(out).toContain('Cannot query field "family" on type "Model".');
    expect(out).toContain('  - Model.family: breaking change breaks 1 operation (web ModelList)');
    expect(out).not.toContain('ModelDetail');
    expect(out).not.toContain('mobile  Home');
  });

  it('reports a removed unused field as breaking with 0 operations affected; only --strict fails it', async () => {
    fixture = schemaFixture();
    addBffOperations(fixture);
    fixture.edit(MODELS, '  releasedAt: String!\n', '');
    const relaxed = await fixture.check();
    expect(relaxed.code).toBe(0);
    expect(relaxed.out).toMatch(/BREAKING +Model\.releasedAt: .*\n.*\n +0 operations affected/);
    const strict = await fixture.check('--strict');
    expect(strict.code).toBe(1);
    expect(strict.out).toContain(
      'Model.releasedAt: breaking change, 0 operations affected (fails with --strict)',
    );
  });

  it('judges a changed argument type by validation: a variable of the old type breaks, a literal that still fits does not', async () => {
    fixture = schemaFixture();
    addBffOperations(fixture);
    fixture.write(
      'clients/partner.json',
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [
          {
            id: 'a1',
            name: 'PartnerModel',
            type: 'query',
            body: 'query PartnerModel { model(id: "m-1") { id } }',
          },
        ],
      }),
    );
    fixture.edit(
      'portico.yaml',
      'manifests: []',
      'manifests: [{ path: clients/partner.json, frontend: partner }]',
    );
    fixture.edit(MODELS, 'model(id: ID!)', 'model(id: String!)');
    const { code, out } = await fixture.check();
    expect(code).toBe(1);
    expect(out).toContain("BREAKING  Query.model.id: Type for argument 'id' on field 'Query.model' changed");
    expect(out).toContain(
      'breaks 1 operation:\n              web  ModelDetail  bffs/web/operations/models.graphql:8',
    );
    expect(out).toContain('Variable "$id" of type "ID!" used in position expecting type "String!".');
    expect(out).toContain(
      'affects 1 operation that still validate (not broken):\n              partner  PartnerModel  clients/partner.json#a1',
    );
  });

  it('reports an added enum value as dangerous, with the operations that receive it, and passes', async () => {
    fixture = schemaFixture();
    addBffOperations(fixture);
    fixture.edit(MODELS, '  DEPRECATED\n}', '  DEPRECATED\n  RETIRED\n}');
    const { code, out } = await fixture.check();
    expect(code).toBe(0);
    expect(out).toContain(
      'DANGEROUS Model' + "Status.RETIRED: Enum value 'RETIRED' was added to enum 'ModelStatus'",
    );
    expect(out).toContain('affects 1 operation:\n              web  ModelList');
  });

  it('breaks an operation whose variable can carry a removed enum value, though its text still validates', async () => {
    fixture = schemaFixture();
    addBffOperations(fixture);
    // A .graphql manifest: its frontend is named after the file unless the config names one.
    fixture.write(
      'clients/partner-app.graphql',
      'query Previews { models(status: PREVIEW) { nodes { id } } }\n',
    );
    fixture.edit('portico.yaml', 'manifests: []', 'manifests: [clients/partner-app.graphql]');
    fixture.edit(MODELS, '  PREVIEW\n', '');
    const { code, out } = await fixture.check();
    expect(code).toBe(1);
    expect(out).toContain(
      'breaks 2 operations:\n              web  ModelList  bffs/web/operations/models.graphql:1\n              partner-app  Previews  clients/partner-app.graphql:1',
    );
    expect(out).toContain(
      '  web  ModelList  bffs/web/operations/models.graphql:1\n    uses ModelStatus.PREVIEW (breaking)\n    still validates against the new API schema',
    );
    expect(out).toContain('Value "PREVIEW" does not exist in "ModelStatus" enum.');
  });

  it('fails an operation that does not validate even when no change explains it', async () => {
    fixture = schemaFixture();
    fixture.write('bffs/cli/operations/typo.graphql', 'query Typo {\n  health { statuz }\n}\n');
    const { code, out } = await fixture.check();
    expect(code).toBe(1);
    expect(out).toContain('none: the API schema is unchanged');
    expect(out).toContain(
      'does not validate against the new API schema (it did not validate against the base either):\n      Cannot query field "statuz" on type "HealthSummary". Did you mean "status"?',
    );
    expect(out).toContain(
      '  - cli Typo (bffs/cli/operations/typo.graphql:1) does not validate against the new API schema',
    );
  });

  it('fails a composition error with subgraph, code and message, and judges nothing else', async () => {
    fixture = schemaFixture();
    addBffOperations(fixture);
    // PageInfo is shared by models and billing; without @shareable in billing they conflict.
    fixture.edit(
      'subgraphs/billing/schema.graphql',
      'type PageInfo @shareable @cacheControl',
      'type PageInfo @cacheControl',
    );
    const { code, out } = await fixture.check();
    expect(code).toBe(1);
    expect(out).toMatch(
      /FAILED with \d+ errors?:\n {4}billing, models: INVALID_FIELD_SHARING: Non-shareable field "PageInfo\.hasNextPage" is resolved from multiple subgraphs/,
    );
    expect(out).toContain('not checked: composition failed');
    expect(out).toContain('  - composition failed with');
  });

  it('names the subgraph of a syntax error', async () => {
    fixture = schemaFixture();
    fixture.edit(
      'subgraphs/health/schema.graphql',
      'type HealthSummary @cacheControl(maxAge: 10) {',
      'type HealthSummary {{',
    );
    const { code, out } = await fixture.check();
    expect(code).toBe(1);
    expect(out).toMatch(/ {4}health: INVALID_GRAPHQL: Syntax Error/);
  });

  it('flags operations that use deprecated fields, with the reason and the replacement', async () => {
    fixture = schemaFixture();
    addBffOperations(fixture);
    fixture.edit(
      MODELS,
      '  family: String!\n',
      '  family: String! @deprecated(reason: "Use `provider` instead.")\n',
    );
    const { code, out } = await fixture.check();
    expect(code).toBe(0);
    expect(out).toContain("SAFE      Model.family: Field 'Model.family' is deprecated");
    expect(out).toContain(
      'Deprecations: 1 use of deprecated schema elements\n  web  ModelList  bffs/web/operations/models.graphql:1\n    Model.family: Use `provider` instead.\n    replacement: provider',
    );
  });

  describe('the committed supergraph.graphql', () => {
    it('without --base, a stale file is the base: reported as not composed yet, not a failure', async () => {
      fixture = schemaFixture();
      fixture.edit(MODELS, '  releasedAt: String!\n', '  releasedAt: String!\n  license: String\n');
      const { code, out } = await fixture.check();
      expect(code).toBe(0);
      expect(out).toContain(
        'supergraph.graphql is out of date with supergraph.yaml: the changes below are not composed yet',
      );
    });

    it('with --base, a stale file fails: the gateway serves it, so a change must commit it recomposed', async () => {
      fixture = schemaFixture();
      fixture.commitAll();
      fixture.edit(MODELS, '  releasedAt: String!\n', '  releasedAt: String!\n  license: String\n');
      const stale = await fixture.check('--base', 'HEAD');
      expect(stale.code).toBe(1);
      expect(stale.out).toContain(
        'supergraph.graphql is OUT OF DATE with supergraph.yaml: run npm run compose and commit it',
      );
      expect(stale.out).toContain(
        '  - supergraph.graphql is out of date with supergraph.yaml: run npm run compose',
      );

      await fixture.compose();
      const fresh = await fixture.check('--base', 'HEAD');
      expect(fresh.code).toBe(0);
      expect(fresh.out).toContain('supergraph.graphql is up to date with supergraph.yaml');
      expect(fresh.out).toContain('base: supergraph.graphql at HEAD');
      // The diff is taken against the ref, so the recomposed file does not hide the change.
      expect(fresh.out).toMatch(/SAFE +Model\.license/);
    });
  });

  describe('input errors exit 2 with a message', () => {
    it('a --base ref that names no commit', async () => {
      fixture = schemaFixture();
      fixture.commitAll();
      const { code, out, err } = await fixture.check('--base', 'no-such-branch');
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toBe('error: --base no-such-branch: no such commit in this repository');
    });

    it('--base outside a git repository, and a ref that looks like an option', async () => {
      fixture = schemaFixture();
      const outside = await fixture.check('--base', 'HEAD');
      expect(outside.code).toBe(2);
      expect(outside.err).toMatch(/^error: --base HEAD: .* is not in a git repository$/);
      const option = await fixture.check('--base=--output=x.txt');
      expect(option.code).toBe(2);
      expect(option.err).toBe('error: --base: "--output=x.txt" is not a git ref');
    });

    it('a missing supergraph.graphql, a missing manifest, an unreadable manifest, a bad --format', async () => {
      fixture = schemaFixture();
      fixture.edit('portico.yaml', 'manifests: []', 'manifests: [clients/ios.json]');
      expect((await fixture.check()).err).toBe('error: schemaCheck.manifests: cannot read clients/ios.json');
      fixture.write('clients/ios.json', '{"operations": 3}');
      const bad = await fixture.check();
      expect(bad.code).toBe(2);
      expect(bad.err).toContain('clients/ios.json: expected an apollo-persisted-query-manifest');
      fixture.write('clients/ios.json', '{"h1": "query { health { status } }"}');
      expect((await fixture.check()).code).toBe(0);
      fixture.edit('portico.yaml', 'manifests: [clients/ios.json]', 'manifest: [clients/ios.json]');
      const typo = await fixture.check();
      expect(typo.code).toBe(2);
      expect(typo.err).toContain('unknown key schemaCheck.manifest');

      const format = await fixture.check('--format', 'html');
      expect(format.code).toBe(2);
      expect(format.err).toContain('--format takes text, markdown or json, not "html"');
      expect((await fixture.portico('schema', 'verify')).code).toBe(2);

      fixture.remove();
      fixture = schemaFixture();
      const missing = await fixture.check('--supergraph', 'nope.graphql');
      expect(missing.code).toBe(2);
      expect(missing.err).toBe('error: cannot read nope.graphql; run npm run compose first');
    });
  });

  describe('output formats for the removed-field case', () => {
    const removeFamily = () => {
      fixture = schemaFixture();
      addBffOperations(fixture);
      fixture.edit(MODELS, '  family: String!\n', '');
    };

    it('markdown for a pull-request comment: verdict, reasons, then one section per concern', async () => {
      removeFamily();
      const { code, out } = await fixture.check('--format', 'markdown');
      expect(code).toBe(1);
      const sections = out.split('\n').filter((line) => line.startsWith('#'));
      expect(sections).toEqual([
        '## Schema check: ❌ fail',
        '### Composition',
        '### Changes',
        '### Affected operations',
        '### Deprecations',
      ]);
      expect(out).toContain('- Model.family: breaking change breaks 1 operation (web ModelList)');
      expect(out).toContain(
        "| 🔴 breaking | `Model.family` | Field 'family' was removed from object type 'Model' | Removing a field is a breaking change. It is preferable to deprecate the field before removing it. | ❌ **web** `ModelList` `bffs/web/operations/models.graphql:1` |",
      );
      expect(out).toContain(
        '| **web** `ModelList` `bffs/web/operations/models.graphql:1` | `Model.family` (breaking) | ❌ Cannot query field "family" on type "Model". |',
      );
    });

    it('json: the whole report, machine-readable', async () => {
      removeFamily();
      const { code, out } = await fixture.check('--format', 'json');
      expect(code).toBe(1);
      const report = JSON.parse(out) as SchemaCheckReport;
      expect(report.verdict).toBe('fail');
      expect(report.composition).toMatchObject({
        ok: true,
        supergraph: { upToDate: false, mustBeUpToDate: false },
      });
      expect(report.operations.registered).toBe(4);
      expect(report.operations.frontends).toEqual({ cli: 1, mobile: 1, web: 2 });
      expect(report.changes).toEqual([
        expect.objectContaining({
          level: 'breaking',
          type: 'FIELD_REMOVED',
          coordinate: 'Model.family',
          affected: [
            { frontend: 'web', file: 'bffs/web/operations/models.graphql', name: 'ModelList', line: 1 },
          ],
          broken: [
            { frontend: 'web', file: 'bffs/web/operations/models.graphql', name: 'ModelList', line: 1 },
          ],
        }),
      ]);
      expect(report.operations.affected[0]).toMatchObject({
        operation: { name: 'ModelList' },
        errors: ['Cannot query field "family" on type "Model".'],
        validBefore: true,
      });
    });
  });
});
