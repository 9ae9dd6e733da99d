//! Schema 3 → 4 → 5 in place, in the opening transaction. 4: the new columns, each row's receipt
//! code and confirmation id taken from its body. 5: the daily tallies, counted from every row. No
//! hashed column changes, so the chain verifies as before.

use rusqlite::{params, Transaction};

use crate::store::{tallies, StoreError};

/// Adds the columns and fills them; the caller's schema batch then adds the indexes, the
/// confirmations table and the append-only triggers back.
pub fn from_3(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute_batch(
        "ALTER TABLE consents ADD COLUMN confirmation_id TEXT;
         ALTER TABLE consents ADD COLUMN confirmation_check TEXT;
         ALTER TABLE consents ADD COLUMN confirmation_reason TEXT;
         ALTER TABLE consents ADD COLUMN receipt_code TEXT NOT NULL DEFAULT '';
         DROP TRIGGER IF EXISTS consents_no_update;",
    )?;
    let rows: Vec<(i64, String, String)> = {
        let mut stmt = tx.prepare("SELECT seq, record_id, body FROM consents ORDER BY seq")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut update =
        tx.prepare("UPDATE consents SET receipt_code = ?1, confirmation_id = ?2 WHERE seq = ?3")?;
    for (seq, record_id, body) in rows {
        let confirmation = crate::store::confirmation_in_body(&body);
        update.execute(params![kelisim::short_code::of(&record_id), confirmation, seq])?;
    }
    tx.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'", [])?;
    Ok(())
}

/// Creates the tallies and counts every row into them.
pub fn from_4(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute_batch(tallies::SCHEMA)?;
    tx.execute_batch("DELETE FROM tallies")?; // counted afresh: a rebuild, never added twice
    let mut keys = Vec::new();
    {
        let mut stmt =
            tx.prepare("SELECT body, received_at, text_check, decision_check FROM consents ORDER BY seq")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (body, at, text, decision): (String, String, String, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            keys.extend(tallies::of_stored(&body, &at, &text, &decision));
        }
    }
    super::add_tallies(tx, &tallies::counted(keys))?;
    tx.execute("UPDATE meta SET value = ?1 WHERE key = 'schema_version'", [super::SCHEMA_VERSION])?;
    Ok(())
}
