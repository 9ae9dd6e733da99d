//! Schema 3 → 4 → 5 in place, inside the schema transaction. 4: the new columns, each row's receipt
//! code and confirmation id taken from its body. 5: the daily tallies, counted from every row. No
//! hashed column changes, so the chain verifies as before.

use postgres::types::Type;
use postgres::Transaction;

use super::session::Failure;
use crate::store::confirmation_in_body as confirmation_id;
use crate::store::{tallies, SCHEMA_VERSION};

/// Adds the columns and fills them; the caller's schema batch then adds the indexes, the
/// confirmations table, and puts the append-only triggers back.
pub fn from_3(tx: &mut Transaction<'_>) -> Result<(), Failure> {
    tx.batch_execute(
        "ALTER TABLE consents ADD COLUMN IF NOT EXISTS confirmation_id TEXT;
         ALTER TABLE consents ADD COLUMN IF NOT EXISTS confirmation_check TEXT;
         ALTER TABLE consents ADD COLUMN IF NOT EXISTS confirmation_reason TEXT;
         ALTER TABLE consents ADD COLUMN IF NOT EXISTS receipt_code TEXT NOT NULL DEFAULT '';
         DROP TRIGGER IF EXISTS consents_no_update ON consents;",
    )?;
    let rows = tx.query_typed("SELECT seq, record_id, body FROM consents ORDER BY seq", &[])?;
    let (mut seqs, mut codes, mut ids) = (Vec::new(), Vec::new(), Vec::new());
    for row in &rows {
        let (seq, record_id, body): (i64, &str, &str) = (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        seqs.push(seq);
        codes.push(kelisim::short_code::of(record_id));
        ids.push(confirmation_id(body));
    }
    tx.execute_typed(
        "UPDATE consents AS c SET receipt_code = u.code, confirmation_id = u.confirmation
         FROM unnest($1, $2, $3) AS u(seq, code, confirmation) WHERE c.seq = u.seq",
        &[(&seqs, Type::INT8_ARRAY), (&codes, Type::TEXT_ARRAY), (&ids, Type::TEXT_ARRAY)],
    )?;
    // Without its default the column refuses a row from a collector of schema 3 still appending
    // to this database (a rolling upgrade): it fails loudly instead of writing rows `verify` flags.
    tx.batch_execute("ALTER TABLE consents ALTER COLUMN receipt_code DROP DEFAULT")?;
    tx.batch_execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")?;
    Ok(())
}

/// Creates the tallies and counts every row into them (schema 4 → 5).
pub fn from_4(tx: &mut Transaction<'_>) -> Result<(), Failure> {
    tx.batch_execute(tallies::SCHEMA)?;
    tx.batch_execute("DELETE FROM tallies")?; // counted afresh: a rebuild, never added twice
    let rows = tx.query_typed(
        "SELECT body, received_at, text_check, decision_check FROM consents ORDER BY seq",
        &[],
    )?;
    let mut keys = Vec::new();
    for row in &rows {
        let (body, at, text, decision): (&str, &str, &str, &str) =
            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?);
        keys.extend(tallies::of_stored(body, at, text, decision));
    }
    super::add_tallies(tx, &tallies::counted(keys))?;
    tx.execute_typed(
        "UPDATE meta SET value = $1 WHERE key = 'schema_version'",
        &[(&SCHEMA_VERSION, Type::TEXT)],
    )?;
    Ok(())
}
