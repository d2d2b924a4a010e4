import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';

// Timestamps are ISO-8601 text on both dialects: they round-trip exactly as the domain wrote them
// (a ceremony time keeps its offset) and UTC instants still sort correctly as text.
const migrations: Record<string, Migration> = {
  '0001_records': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('agreements')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('title', 'text', (col) => col.notNull())
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('parties', 'text', (col) => col.notNull())
        .addColumn('stage', 'text', (col) => col.notNull())
        .addColumn('ceremony_at', 'text')
        .addColumn('currency', 'text')
        .addColumn('funding_required', 'bigint', (col) => col.notNull())
        .addColumn('funding_confirmed', 'bigint', (col) => col.notNull())
        .addColumn('cohort_size', 'integer', (col) => col.notNull())
        .addColumn('started_at', 'text', (col) => col.notNull())
        .addColumn('updated_at', 'text', (col) => col.notNull())
        .addColumn('last_sequence', 'integer', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('agreements_stage_idx').on('agreements').column('stage').execute();

      await db.schema
        .createTable('audit_events')
        .addColumn('agreement_id', 'text', (col) => col.notNull())
        .addColumn('sequence', 'integer', (col) => col.notNull())
        .addColumn('type', 'text', (col) => col.notNull())
        .addColumn('at', 'text', (col) => col.notNull())
        .addColumn('actor', 'text', (col) => col.notNull())
        .addColumn('data', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('audit_events_pk', ['agreement_id', 'sequence'])
        .execute();

      await db.schema
        .createTable('sent_mail')
        .addColumn('agreement_id', 'text', (col) => col.notNull())
        .addColumn('key', 'text', (col) => col.notNull())
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('recipient', 'text', (col) => col.notNull())
        .addColumn('subject', 'text', (col) => col.notNull())
        .addColumn('message_id', 'text', (col) => col.notNull())
        .addColumn('sent_at', 'text', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('detail', 'text')
        // Keys name the kind, detail and recipient, not the agreement: the same signatory is invited to many ceremonies.
        .addPrimaryKeyConstraint('sent_mail_pk', ['agreement_id', 'key'])
        .execute();
      await db.schema
        .createIndex('sent_mail_agreement_idx')
        .on('sent_mail')
        .columns(['agreement_id', 'sent_at'])
        .execute();
    },
  },
  // The sent-mail log becomes a state machine per mail: claimed → sent | refused | uncertain.
  '0002_mail_delivery_states': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('sent_mail')
        .addColumn('resends', 'integer', (col) => col.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('sent_mail').addColumn('attempt', 'text').execute();
      await db.schema.alterTable('sent_mail').addColumn('live_until', 'text').execute();
      await sql`update sent_mail set status = 'refused' where status = 'rejected'`.execute(db);
    },
  },
  // Verified actors: how each row's actor was established, and who made the register's last change.
  '0003_actor_proof': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('audit_events').addColumn('actor_proof', 'text').execute();
      await db.schema.alterTable('agreements').addColumn('updated_by', 'text').execute();
      await db.schema.alterTable('agreements').addColumn('updated_by_proof', 'text').execute();
    },
  },
  // Approvals and obligations (spec §14): when approval completed, and the obligations still open.
  '0004_approvals_obligations': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('agreements').addColumn('approved_at', 'text').execute();
      await db.schema
        .alterTable('agreements')
        .addColumn('obligations_open', 'integer', (col) => col.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('agreements')
        .addColumn('obligations_due', 'text', (col) => col.notNull().defaultTo('[]'))
        .execute();
    },
  },
  // Certificates of completion (spec §18): each PDF whole (base64 text, the same on both dialects) with its SHA-256,
  // and the latest one's SHA-256 in the register.
  '0005_certificates': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('certificates')
        .addColumn('agreement_id', 'text', (col) => col.notNull())
        .addColumn('sequence', 'integer', (col) => col.notNull())
        .addColumn('issued_at', 'text', (col) => col.notNull())
        .addColumn('sha256', 'text', (col) => col.notNull())
        .addColumn('pdf', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('certificates_pk', ['agreement_id', 'sequence'])
        .execute();
      await db.schema.alterTable('agreements').addColumn('certificate_sha256', 'text').execute();
    },
  },
};

/** Migrations live in code so a bundled or installed worker never reads migration files at runtime. */
const inCodeMigrations: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};

/** Brings the schema to the latest version; a no-op when it is already there. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: inCodeMigrations,
    migrationTableName: 'records_migration',
    migrationLockTableName: 'records_migration_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw error;
}
