/**
 * The machine's PostgreSQL (127.0.0.1:5432, database `test`) for the
 * connectors' integration tests: each test gets a schema of its own, dropped
 * with everything in it afterwards.
 */
import pg from 'pg';

export const PG_CONNECTION = 'postgres://postgres@127.0.0.1:5432/test';

export interface TestSchema {
  name: string;
  /** Runs SQL with the schema first on the search path; values come back as PostgreSQL text. */
  query(sql: string, values?: unknown[]): Promise<Array<Record<string, string | null>>>;
  drop(): Promise<void>;
}

export async function testSchema(prefix = 'pipe_test'): Promise<TestSchema> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({
    connectionString: PG_CONNECTION,
    types: { getTypeParser: () => (text: string) => text },
  });
  await client.connect();
  await client.query(`CREATE SCHEMA ${name}`);
  await client.query(`SET search_path TO ${name}, public`);
  await client.query("SET TIME ZONE 'UTC'");
  return {
    name,
    query: async (sql, values) => (await client.query(sql, values)).rows,
    drop: async () => {
      await client.query(`DROP SCHEMA ${name} CASCADE`);
      await client.end();
    },
  };
}
