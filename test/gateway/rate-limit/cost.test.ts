import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, type DocumentNode, Kind, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { apiSchemaFromSupergraph } from '../../../gateway/api-schema.ts';
import { EXAMPLE_QUERY } from '../../../gateway/example-query.ts';
import { estimateCost } from '../../../gateway/rate-limit/cost.ts';
import { readLimitDirectives } from '../../../gateway/rate-limit/supergraph-directives.ts';
import { projectRoot } from '../../../platform/paths.ts';
import { OPERATION_FIXTURES } from '../../helpers/operations.ts';

const settings = { defaultListSize: 10, mutationCost: 10 };
const supergraphSdl = readFileSync(join(projectRoot, 'supergraph.graphql'), 'utf8');
const schema = apiSchemaFromSupergraph(supergraphSdl);
const directives = readLimitDirectives(supergraphSdl);

function operation(document: DocumentNode, name?: string): OperationDefinitionNode {
  const found = document.definitions.find(
    (d): d is OperationDefinitionNode =>
      d.kind === Kind.OPERATION_DEFINITION && (name === undefined || d.name?.value === name),
  );
  if (!found) throw new Error(`no operation ${name}`);
  return found;
}

function cost(query: string, variables: Record<string, unknown> = {}, name?: string): number {
  const document = parse(query);
  return estimateCost(schema, document, operation(document, name), variables, directives, settings);
}

const fixture = (path: string) => readFileSync(join(OPERATION_FIXTURES, path), 'utf8');

describe('static operation cost (@cost, @listSize, Apollo demand control rules)', () => {
  it('the README example: 23, by hand', () => {
    // tenant 1 + plan 1 + usage @cost(weight: 5)                                   =  7
    // models 1 + first: 3 nodes x (Model 1 + pricing 1 + usage @cost(weight: 2) + availability 1) = 16
    expect(cost(EXAMPLE_QUERY)).toBe(23);
  });

  it('WebDashboard: 754, by hand', () => {
    // viewer 1
    // tenant 1 + plan 1 + quota 1 + usage (5 + series 720 (@listSize assumedSize) x UsagePoint 1)
    //   + invoices (1 + pageInfo 1 + edges 6 ($invoices default) x (edge 1 + node 1))  = 742
    // health 1 + openIncidents 10 (@listSize assumedSize) x 1                           = 11
    expect(cost(fixture('web/dashboard.graphql'))).toBe(754);
  });

  it('the other screens, and what @include leaves out', () => {
    expect(cost(fixture('web/models.graphql'), {}, 'WebModels')).toBe(29_022);
    expect(cost(fixture('mobile/overview.graphql'))).toBe(49);
    // models(first: 5) { nodes x (Model 1 + availability 1 + 2 usages x 2) } = 31 left out.
    expect(cost(fixture('mobile/overview.graphql'), { withModels: false })).toBe(18);
    expect(cost(fixture('cli/status.graphql'), {}, 'CliModelUsage')).toBe(723);
  });

  it('slicing arguments: literal, variable, the operation default, the schema default', () => {
    const query = 'query ($n: Int) { models(first: $n) { nodes { id } } }';
    expect(cost('{ models(first: 7) { nodes { id } } }')).toBe(8);
    expect(cost(query, { n: 7 })).toBe(8);
    expect(cost('query ($n: Int = 4) { models(first: $n) { nodes { id } } }')).toBe(5);
    expect(cost('{ models { nodes { id } } }')).toBe(21);
    // edges and nodes are both sized by `first`, through a fragment too.
    expect(
      cost(
        '{ models(first: 2) { ...M } } fragment M on ModelConnection { edges { node { id } } nodes { id } }',
      ),
    ).toBe(1 + 2 * (1 + 1) + 2);
  });

  it('mutations add their base cost; __typename and scalars are free', () => {
    expect(cost('mutation { setSpendAlert(threshold: 1) { id __typename } }')).toBe(11);
    expect(cost('{ __typename health { status checkedAt } }')).toBe(1);
  });

  it('defaults for unannotated lists, @cost on types and arguments, and a missing required slicing argument', () => {
    const sdl = `
      directive @cost(weight: Int!) on ARGUMENT_DEFINITION | FIELD_DEFINITION | OBJECT | SCALAR | ENUM
      directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
      type Query {
        items: [Item]
        search(text: String @cost(weight: 3), limit: Int, last: Int): [Item] @listSize(slicingArguments: ["limit", "last"])
      }
      type Item @cost(weight: 4) { id: ID }
    `;
    const tiny = buildSchema(sdl);
    const known = readLimitDirectives(sdl);
    const of = (query: string) => {
      const document = parse(query);
      return estimateCost(tiny, document, operation(document), {}, known, settings);
    };
    expect(of('{ items { id } }')).toBe(10 * 4);
    expect(of('{ search(text: "x", limit: 2) { id } }')).toBe(2 * 4 + 3);
    expect(() => of('{ search(limit: 2, last: 3) { id } }')).toThrow(/exactly one of limit, last/);
  });
});
