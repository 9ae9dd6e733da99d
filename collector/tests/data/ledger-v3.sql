-- A schema-3 ledger as a schema-3 collector wrote it: three grants, a withdrawal and a record that
-- carries a confirmation (stored before confirmations were checked); sqlite3 .dump of the file.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES('schema_version','3');
INSERT INTO meta VALUES('head_seq','5');
INSERT INTO meta VALUES('head_hash','25dc18c6d528efbe3222d8c43cf99728f7c53777e03c994fcc4287d8cda0320a');
CREATE TABLE consents (
    seq INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL UNIQUE,
    received_at TEXT NOT NULL,
    subject_ref TEXT NOT NULL,
    policy_id TEXT NOT NULL,
    policy_version TEXT NOT NULL,
    kind TEXT NOT NULL,
    text_check TEXT NOT NULL,
    decision_check TEXT NOT NULL,
    decision_findings TEXT NOT NULL,
    body TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO consents VALUES(1,'01010101-0101-4101-8101-010101010101','2026-12-02T02:54:05.220Z','anon-01','karatel-subscribers','2018-02-26','grant','match','consistent','[]','{"schema":1,"recordId":"01010101-0101-4101-8101-010101010101","kind":"grant","operator":{"name":"«КаР-Тел» ЖШС","bin":"980540000397"},"policy":{"id":"karatel-subscribers","version":"2018-02-26","language":"kk","textSha256":"5aeee93fd9d6014a1063eff4fc28c50bca26c2f556671ed9320542d0c03d800f","url":"https://beeline.kz/kk/privacy"},"purposes":[{"id":"service","required":true,"granted":true},{"id":"marketing","required":false,"granted":true}],"dataCategories":["fullName","phone"],"transfers":{"thirdParties":true,"crossBorder":["RU"],"publicSources":false,"storedInKazakhstan":true},"term":"Шарт аяқталғанға дейін","subject":{"ref":"anon-01"},"collectedAt":"2026-11-22T22:05:28.123Z","channel":"web","page":"http://127.0.0.1:8787/karatel.html","userAgent":"collector-test"}','0000000000000000000000000000000000000000000000000000000000000000','0922cce46afbc17ed072d2fc1d5948c4bb7b74ff19cd00d462bc1882037dbaa2');
INSERT INTO consents VALUES(2,'02020202-0202-4202-8202-020202020202','2026-12-02T02:54:05.224Z','anon-02','karatel-subscribers','2018-02-26','grant','match','consistent','[]','{"schema":1,"recordId":"02020202-0202-4202-8202-020202020202","kind":"grant","operator":{"name":"«КаР-Тел» ЖШС","bin":"980540000397"},"policy":{"id":"karatel-subscribers","version":"2018-02-26","language":"kk","textSha256":"5aeee93fd9d6014a1063eff4fc28c50bca26c2f556671ed9320542d0c03d800f","url":"https://beeline.kz/kk/privacy"},"purposes":[{"id":"service","required":true,"granted":true},{"id":"marketing","required":false,"granted":true}],"dataCategories":["fullName","phone"],"transfers":{"thirdParties":true,"crossBorder":["RU"],"publicSources":false,"storedInKazakhstan":true},"term":"Шарт аяқталғанға дейін","subject":{"ref":"anon-02"},"collectedAt":"2026-11-22T22:05:28.123Z","channel":"web","page":"http://127.0.0.1:8787/karatel.html","userAgent":"collector-test"}','0922cce46afbc17ed072d2fc1d5948c4bb7b74ff19cd00d462bc1882037dbaa2','786461ee0c5f3b3f98e6b18dc13366f727f330891da0c6281dd5b01c8af59cdc');
INSERT INTO consents VALUES(3,'03030303-0303-4303-8303-030303030303','2026-12-02T02:54:05.227Z','anon-03','karatel-subscribers','2018-02-26','grant','match','consistent','[]','{"schema":1,"recordId":"03030303-0303-4303-8303-030303030303","kind":"grant","operator":{"name":"«КаР-Тел» ЖШС","bin":"980540000397"},"policy":{"id":"karatel-subscribers","version":"2018-02-26","language":"kk","textSha256":"5aeee93fd9d6014a1063eff4fc28c50bca26c2f556671ed9320542d0c03d800f","url":"https://beeline.kz/kk/privacy"},"purposes":[{"id":"service","required":true,"granted":true},{"id":"marketing","required":false,"granted":true}],"dataCategories":["fullName","phone"],"transfers":{"thirdParties":true,"crossBorder":["RU"],"publicSources":false,"storedInKazakhstan":true},"term":"Шарт аяқталғанға дейін","subject":{"ref":"anon-03"},"collectedAt":"2026-11-22T22:05:28.123Z","channel":"web","page":"http://127.0.0.1:8787/karatel.html","userAgent":"collector-test"}','786461ee0c5f3b3f98e6b18dc13366f727f330891da0c6281dd5b01c8af59cdc','0d0ac6c793a53c9822b1995d8873f68372ba110347c608e09f10311e88a101e8');
INSERT INTO consents VALUES(4,'04040404-0404-4404-8404-040404040404','2026-12-02T02:54:05.231Z','anon-01','karatel-subscribers','2018-02-26','withdrawal','match','consistent','[]','{"schema":1,"recordId":"04040404-0404-4404-8404-040404040404","kind":"withdrawal","operator":{"name":"«КаР-Тел» ЖШС","bin":"980540000397"},"policy":{"id":"karatel-subscribers","version":"2018-02-26","language":"kk","textSha256":"5aeee93fd9d6014a1063eff4fc28c50bca26c2f556671ed9320542d0c03d800f","url":"https://beeline.kz/kk/privacy"},"purposes":[{"id":"marketing","required":false,"granted":false}],"dataCategories":[],"transfers":{"thirdParties":true,"crossBorder":["RU"],"publicSources":false,"storedInKazakhstan":true},"term":"Шарт аяқталғанға дейін","subject":{"ref":"anon-01"},"collectedAt":"2026-11-22T22:07:08.123Z","channel":"web","userAgent":"collector-test","previousRecordId":"01010101-0101-4101-8101-010101010101"}','0d0ac6c793a53c9822b1995d8873f68372ba110347c608e09f10311e88a101e8','8d9fde4f036e7707eb67a2aa0078ace72a0c775a3faa5d3057011415a3d4b6fa');
INSERT INTO consents VALUES(5,'05050505-0505-4505-8505-050505050505','2026-12-02T02:54:05.234Z','+77012345678','karatel-subscribers','2018-02-26','grant','match','consistent','[]','{"schema":1,"recordId":"05050505-0505-4505-8505-050505050505","kind":"grant","operator":{"name":"«КаР-Тел» ЖШС","bin":"980540000397"},"policy":{"id":"karatel-subscribers","version":"2018-02-26","language":"kk","textSha256":"5aeee93fd9d6014a1063eff4fc28c50bca26c2f556671ed9320542d0c03d800f","url":"https://beeline.kz/kk/privacy"},"purposes":[{"id":"service","required":true,"granted":true},{"id":"marketing","required":false,"granted":true}],"dataCategories":["fullName","phone"],"transfers":{"thirdParties":true,"crossBorder":["RU"],"publicSources":false,"storedInKazakhstan":true},"term":"Шарт аяқталғанға дейін","subject":{"ref":"+77012345678"},"confirmation":{"id":"55555555-5555-4555-9555-555555555555","method":"sms"},"collectedAt":"2026-11-22T22:05:28.123Z","channel":"web","page":"http://127.0.0.1:8787/karatel.html","userAgent":"collector-test"}','8d9fde4f036e7707eb67a2aa0078ace72a0c775a3faa5d3057011415a3d4b6fa','25dc18c6d528efbe3222d8c43cf99728f7c53777e03c994fcc4287d8cda0320a');
CREATE INDEX consents_by_subject ON consents (subject_ref, seq);
CREATE INDEX consents_by_time ON consents (received_at, seq);
CREATE TRIGGER consents_no_update BEFORE UPDATE ON consents
BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END;
CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents
BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END;
COMMIT;
