import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../server/src/config.js';
import { printHubSchema } from '../server/src/graphql/schema.js';

describe('schema/schema.graphql', () => {
  it('matches the schema the server builds (run `npm run schema` after changing a resolver)', async () => {
    const committed = await fs.readFile(path.join(projectRoot, 'schema', 'schema.graphql'), 'utf8');
    expect(committed).toBe(await printHubSchema());
  });

  it('documents every type and field', async () => {
    const sdl = await printHubSchema();
    const { buildSchema, isObjectType, isInputObjectType, isEnumType } = await import('graphql');
    const schema = buildSchema(sdl);
    const undocumented: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      if (!type.description && !['Query', 'Mutation', 'Subscription'].includes(type.name)) undocumented.push(type.name);
      if (isObjectType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) if (!field.description) undocumented.push(`${type.name}.${field.name}`);
      }
      if (isEnumType(type)) for (const v of type.getValues()) if (!v.description) undocumented.push(`${type.name}.${v.name}`);
    }
    expect(undocumented).toEqual([]);
  });
});

describe('generated client types (client/src/gql)', () => {
  it('match codegen.yml run against the committed schema (run `npm run codegen`)', async () => {
    const { executeCodegen, loadContext } = await import('@graphql-codegen/cli');
    const context = await loadContext(path.join(projectRoot, 'codegen.yml'));
    context.cwd = projectRoot;
    const { result, error } = await executeCodegen(context);
    expect(error).toBeFalsy();
    expect(result.length).toBeGreaterThan(0);
    for (const file of result) {
      const committed = await fs.readFile(path.resolve(projectRoot, file.filename), 'utf8').catch(() => '(missing)');
      expect(committed, file.filename).toBe(file.content);
    }
  });
});

describe('the client’s own documents within the query limits', () => {
  it('validates every operation the client sends against the signed-in limits, and the public ones against the anonymous limits', async () => {
    const { buildSchema, validate } = await import('graphql');
    const { ANONYMOUS_LIMITS, limitRules, SIGNED_IN_LIMITS } = await import('../server/src/graphql/limits.js');
    const documents = await import('../client/src/gql/graphql.js');
    const schema = buildSchema(await fs.readFile(path.join(projectRoot, 'schema', 'schema.graphql'), 'utf8'));
    const entries = Object.entries(documents).filter(([name]) => name.endsWith('Document'));
    expect(entries.length).toBeGreaterThan(50);
    for (const [name, document] of entries) {
      const anonymous = /^(PublicResult|PublicDraw|Login)/.test(name);
      const errors = validate(schema, document, limitRules(anonymous ? ANONYMOUS_LIMITS : SIGNED_IN_LIMITS));
      expect([name, errors.map((e) => e.message)]).toEqual([name, []]);
    }
  });
});
