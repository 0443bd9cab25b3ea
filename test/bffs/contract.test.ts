import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isLeafType,
  isObjectType,
  validateSchema,
} from 'graphql';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { rules as cliRules } from '../../bffs/cli/resolvers.ts';
import type { FieldRules } from '../../bffs/kit/rules.ts';
import { rules as mobileRules } from '../../bffs/mobile/resolvers.ts';
import { rules as webRules } from '../../bffs/web/resolvers.ts';
import { contractDoc, docPath, TRAILER } from '../../cli/contract/doc.ts';
import { publishedSdl, sdlPath } from '../../cli/contract/sdl.ts';
import { projectRoot } from '../../platform/paths.ts';
import { type BffName, bffNames, buildService } from '../../platform/services.ts';
import { testConfig } from '../helpers/config.ts';

const rulesOf: Record<BffName, FieldRules> = { web: webRules, mobile: mobileRules, cli: cliRules };
const BACKENDS = new Set(['models', 'billing', 'metering', 'health', 'BFF']);
const read = (path: string) => readFileSync(join(projectRoot, path), 'utf8');

function fieldsOf(schema: GraphQLSchema) {
  return Object.values(schema.getTypeMap())
    .filter((type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__'))
    .flatMap((type) =>
      Object.values(type.getFields()).map((field) => ({ coordinate: `${type.name}.${field.name}`, field })),
    );
}

describe.each(bffNames)('the %s BFF contract', (name) => {
  const sdl = read(sdlPath(name));
  const schema = buildSchema(sdl);

  it('is standalone SDL that graphql-js builds and validates on its own', () => {
    expect(validateSchema(schema)).toEqual([]);
    expect(schema.getDirective('rateLimit')).toBeDefined();
  });

  it('is what npm run codegen writes from schema.graphql, and so is its doc page', () => {
    expect(sdl).toBe(publishedSdl(name));
    expect(read(docPath(name))).toBe(contractDoc(name, schema));
  });

  it('describes every field with its source backend and what it does when that fails, as the rules say', () => {
    const rules = rulesOf[name];
    for (const { coordinate, field } of fieldsOf(schema)) {
      const match = TRAILER.exec(field.description ?? '');
      expect(match, `${coordinate} ends with "Source: <backend>. <mode>."`).not.toBeNull();
      for (const backend of match!.groups!.source!.split(/,\s*/))
        expect(BACKENDS, `${coordinate} names a backend`).toContain(backend);
      const rule = rules[coordinate];
      const stale = rule?.stale ? `; stale up to ${rule.stale.maxAgeMs / 60_000} min` : '';
      const expected = !rule
        ? 'Served with its parent'
        : `${rule.mode === 'best-effort' ? 'Best-effort' : 'Required'}${stale}`;
      expect(match!.groups!.mode, coordinate).toBe(expected);
    }
  });

  it('types closed sets of states as enums and instants as DateTime', () => {
    for (const { coordinate, field } of fieldsOf(schema)) {
      const type = getNamedType(field.type);
      if (!isLeafType(type)) continue;
      if (/^(status|severity|availability|overall|tier|window)$/.test(field.name))
        expect(isEnumType(type) || type.name === 'Boolean', `${coordinate} is ${type.name}`).toBe(true);
      if (/(At|^since|^from|^to)$/.test(field.name)) expect(type.name, coordinate).toBe('DateTime');
    }
  });
});

describe('a BFF in development', () => {
  it('serves its contract at /schema.graphql, and not in production', async () => {
    const contract = read(sdlPath('web'));
    for (const environment of ['development', 'production'] as const) {
      const service = await buildService(
        'web',
        testConfig({ environment, auth: { jwksUrl: 'http://127.0.0.1:9/jwks' } }),
      );
      try {
        const url = await service.listen(0, '127.0.0.1');
        const answer = await request(`${url}/schema.graphql`);
        const text = await answer.body.text();
        if (environment === 'production') expect(answer.statusCode).toBe(404);
        else expect(contract.endsWith(`${text}\n`) && text.length > 100).toBe(true);
      } finally {
        await service.close();
      }
    }
  }, 30_000);
});
