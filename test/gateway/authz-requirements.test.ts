import { buildSchema, Kind, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { authorize } from '../../gateway/authz/authorize.ts';
import { presentEnforcedSecurityFeatures, readRequirements } from '../../platform/authz/requirements.ts';

const SUPERGRAPH = `
schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)
  @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", as: "scopes", for: SECURITY)
{ query: Query }
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
directive @authenticated on FIELD_DEFINITION | OBJECT
directive @scopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }
type Query { vault: Vault @authenticated  open: String }
type Vault @scopes(scopes: [["vault:read"], ["admin"]]) { id: ID }
`;

const API = buildSchema('type Query { vault: Vault open: String } type Vault { id: ID }');

function decide(query: string, scopes: string[]) {
  const document = parse(query);
  const operation = document.definitions.find(
    (d) => d.kind === Kind.OPERATION_DEFINITION,
  ) as OperationDefinitionNode;
  return authorize(API, document, operation, {}, readRequirements(SUPERGRAPH), {
    authenticated: true,
    scopes,
  });
}

/** The parts of field authorization a live supergraph of ours does not exercise. */
describe('security requirements read from a supergraph', () => {
  it('follows a renamed directive (`as:`) and applies a type requirement on top of a field one', () => {
    const denied = decide('{ vault { id } open }', []);
    expect(denied?.denials.map((d) => [d.coordinate, d.reason])).toEqual([
      ['Query.vault', 'requires scope vault:read or admin'],
    ]);
    expect(decide('{ vault { id } }', ['admin'])).toBeNull();
    expect(decide('{ vault { id } }', ['vault:read'])).toBeNull();
  });

  it('presents only the two enforced security links to @apollo/gateway without their purpose', () => {
    const presented = presentEnforcedSecurityFeatures(SUPERGRAPH);
    expect(presented).not.toContain('for: SECURITY');
    const other = SUPERGRAPH.replace(
      'https://specs.apollo.dev/authenticated/v0.1',
      'https://specs.apollo.dev/policy/v0.1',
    );
    expect(presentEnforcedSecurityFeatures(other)).toContain('policy/v0.1", for: SECURITY');
  });
});
