import type { Kysely } from "kysely";

/**
 * The encrypted ID number of a person (decision 0031): "<key id>.<iv>.<ciphertext+tag>" under ID_NUMBER_KEYS, written
 * with the hash and masked form. Rows written before this migration keep NULL: only the keyed hash of their number
 * exists, so no backfill is possible; the ledger export shows "—" for them until the number is entered again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("person").addColumn("id_number_cipher", "varchar(128)").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("person").dropColumn("id_number_cipher").execute();
}
