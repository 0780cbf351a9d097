import { readFile } from 'node:fs/promises';
import path from 'node:path';
import internals from '@prisma/internals';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database';

/**
 * Nothing on these machines can run `prisma migrate diff`, so this test is the proof that
 * prisma/schema.prisma and prisma/migrations agree: it reads the schema with Prisma's own parser and
 * compares every model, column, type, nullability, default, key, index, enum and foreign key with a
 * database built only from the migrations.
 */

type Dmmf = Awaited<ReturnType<typeof internals.getDMMF>>['datamodel'];
type Field = Dmmf['models'][number]['fields'][number];

let t: TestDatabase;
let dm: Dmmf;
beforeAll(async () => {
  t = await createTestDatabase();
  const schema = await readFile(path.resolve(import.meta.dirname, '../../../prisma/schema.prisma'), 'utf8');
  dm = (await internals.getDMMF({ datamodel: schema })).datamodel;
});
afterAll(async () => {
  await t.drop();
});

const tableOf = (modelName: string) => {
  const model = dm.models.find((m) => m.name === modelName);
  if (!model) throw new Error(`no model ${modelName}`);
  return model.dbName ?? model.name;
};
const columnOf = (modelName: string, fieldName: string) => {
  const field = dm.models.find((m) => m.name === modelName)?.fields.find((f) => f.name === fieldName);
  if (!field) throw new Error(`no field ${modelName}.${fieldName}`);
  return field.dbName ?? field.name;
};

/** The PostgreSQL type Prisma creates for a field, spelled as pg_catalog.format_type spells it. */
function expectedType(field: Field): string {
  if (field.kind === 'enum') {
    const e = dm.enums.find((x) => x.name === field.type);
    return `"${e?.dbName ?? field.type}"`.replace(/^"([a-z_][a-z0-9_]*)"$/, '$1');
  }
  const [nativeName, args] = (field.nativeType as [string, string[]] | null) ?? [null, []];
  switch (nativeName) {
    case 'Uuid':
      return 'uuid';
    case 'Timestamptz':
      return `timestamp(${args[0] ?? 3}) with time zone`;
    case 'Timestamp':
      return `timestamp(${args[0] ?? 3}) without time zone`;
    case 'VarChar':
      return args[0] ? `character varying(${args[0]})` : 'character varying';
    case 'Text':
      return 'text';
    case null:
      break;
    default:
      throw new Error(`add a mapping for native type ${nativeName}`);
  }
  const defaults: Record<string, string> = {
    String: 'text',
    Int: 'integer',
    BigInt: 'bigint',
    Boolean: 'boolean',
    DateTime: 'timestamp(3) without time zone',
    Json: 'jsonb',
    Float: 'double precision',
    Decimal: 'numeric(65,30)',
  };
  const type = defaults[field.type];
  if (!type) throw new Error(`add a mapping for ${field.type}`);
  return type;
}

/** The default expression Prisma writes for a field, as pg_get_expr prints it back. */
function expectedDefault(field: Field): string | null {
  const value = field.default as unknown;
  if (value === undefined) return null;
  if (typeof value === 'object' && value !== null && 'name' in value) {
    const fn = value as { name: string; args: unknown[] };
    if (fn.name === 'dbgenerated') return String(fn.args[0]);
    if (fn.name === 'now') return 'CURRENT_TIMESTAMP';
    if (fn.name === 'autoincrement') return null; // a sequence default; not used in this schema
    throw new Error(`add a mapping for @default(${fn.name}())`);
  }
  if (field.kind === 'enum') {
    const e = dm.enums.find((x) => x.name === field.type);
    return `'${String(value)}'::${e?.dbName ?? field.type}`;
  }
  if (field.type === 'Json') return `'${String(value)}'::jsonb`;
  if (field.type === 'String') return `'${String(value)}'::text`;
  return String(value);
}

describe('schema.prisma agrees with the migrations', () => {
  it('has the same tables', async () => {
    const rows = await t.db.$queryRaw<{ table_name: string }[]>`
      SELECT table_name FROM information_schema.tables
       WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`;
    expect(rows.map((r) => r.table_name).sort()).toEqual(dm.models.map((m) => m.dbName ?? m.name).sort());
  });

  it('has the same columns, types, nullability and defaults', async () => {
    const rows = await t.db.$queryRaw<
      { table: string; column: string; type: string; not_null: boolean; default: string | null }[]
    >`
      SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
             a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
         AND c.relname <> '_prisma_migrations'`;
    const actual = rows
      .map((r) => ({ ...r }))
      .sort((a, b) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`));
    const expected = dm.models
      .flatMap((model) =>
        model.fields
          .filter((f) => f.kind === 'scalar' || f.kind === 'enum')
          .map((f) => ({
            table: model.dbName ?? model.name,
            column: f.dbName ?? f.name,
            type: f.isList ? `${expectedType(f)}[]` : expectedType(f),
            not_null: f.isRequired || f.isList,
            default: expectedDefault(f),
          })),
      )
      .sort((a, b) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`));
    expect(actual).toEqual(expected);
  });

  it('has the same enums and values', async () => {
    const rows = await t.db.$queryRaw<{ name: string; values: string[] }[]>`
      SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`;
    expect(rows.sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      dm.enums
        .map((e) => ({ name: e.dbName ?? e.name, values: e.values.map((v) => v.dbName ?? v.name) }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  it('has the same primary keys, unique constraints and indexes, with Prisma’s names', async () => {
    const rows = await t.db.$queryRaw<
      { table: string; name: string; is_unique: boolean; is_primary: boolean; columns: string[] }[]
    >`
      SELECT t.relname AS table, i.relname AS name, ix.indisunique AS is_unique, ix.indisprimary AS is_primary,
             array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
        FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations' AND ix.indpred IS NULL`;
    const expected = dm.indexes.map((index) => {
      const table = tableOf(index.model);
      const columns = index.fields.map((f) => columnOf(index.model, f.name));
      const suffix = index.type === 'id' ? 'pkey' : index.type === 'unique' ? 'key' : 'idx';
      const name = index.type === 'id' ? `${table}_pkey` : `${table}_${columns.join('_')}_${suffix}`;
      return {
        table,
        name: (index as { dbName?: string | null }).dbName ?? name,
        is_unique: index.type !== 'normal',
        is_primary: index.type === 'id',
        columns,
      };
    });
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(rows.map((r) => ({ ...r })).sort(byName)).toEqual(expected.sort(byName));
  });

  it('has the same foreign keys and referential actions', async () => {
    const rows = await t.db.$queryRaw<
      {
        name: string;
        table: string;
        columns: string[];
        ref_table: string;
        ref_columns: string[];
        on_delete: string;
        on_update: string;
      }[]
    >`
      SELECT con.conname AS name, t.relname AS table, rt.relname AS ref_table,
             array(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, o)
                     JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS columns,
             array(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, o)
                     JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS ref_columns,
             con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update
        FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid JOIN pg_class rt ON rt.oid = con.confrelid
       WHERE con.contype = 'f'`;
    const action: Record<string, string> = {
      Cascade: 'c',
      Restrict: 'r',
      SetNull: 'n',
      NoAction: 'a',
      SetDefault: 'd',
    };
    const expected = dm.models.flatMap((model) =>
      model.fields
        .filter((f) => f.kind === 'object' && f.relationFromFields?.length)
        .map((f) => {
          const table = model.dbName ?? model.name;
          const columns = (f.relationFromFields ?? []).map((name) => columnOf(model.name, name));
          return {
            name: `${table}_${columns.join('_')}_fkey`,
            table,
            columns,
            ref_table: tableOf(f.type),
            ref_columns: (f.relationToFields ?? []).map((name) => columnOf(f.type, name)),
            on_delete: action[f.relationOnDelete ?? (f.isRequired ? 'Restrict' : 'SetNull')],
            on_update: action[(f as { relationOnUpdate?: string }).relationOnUpdate ?? 'Cascade'],
          };
        }),
    );
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(rows.map((r) => ({ ...r })).sort(byName)).toEqual(expected.sort(byName));
  });

  it('keeps the partial indexes Prisma cannot express, and no others', async () => {
    const rows = await t.db.$queryRaw<{ name: string; definition: string }[]>`
      SELECT i.relname AS name, pg_get_indexdef(ix.indexrelid) AS definition
        FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid
        JOIN pg_namespace n ON n.oid = i.relnamespace
       WHERE n.nspname = 'public' AND ix.indpred IS NOT NULL ORDER BY i.relname`;
    expect(rows.map((r) => r.name)).toEqual(['orders_one_payment_in_progress']);
    expect(rows[0]?.definition).toMatch(/UNIQUE INDEX .* \(user_id, course_id\) WHERE/);
  });

  it('keeps the rules Prisma cannot express as CHECK constraints', async () => {
    const rows = await t.db.$queryRaw<{ name: string }[]>`
      SELECT conname AS name FROM pg_constraint WHERE contype = 'c' ORDER BY conname`;
    expect(rows.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'wallet_balance_range',
        'wallet_transaction_balance_after_range',
        'users_email_lowercase',
      ]),
    );
  });
});
