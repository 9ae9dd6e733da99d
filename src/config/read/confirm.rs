//! Reading the `confirm` section: the decision counts once the subject confirms it by SMS.

use super::{fail, string_member, UNKNOWN};
use crate::config::{Confirm, Form};
use crate::json::read::{Path, Reader};
use crate::json::Json;
use crate::prelude::*;
use crate::validate::{url, FieldKind};

pub(super) fn confirm(
    r: &mut Reader,
    at: &Path<'_>,
    json: &Json,
    endpoint: &str,
    form: Option<&Form>,
) -> Confirm {
    let mut m = r.object(at, json);
    if string_member(r, &mut m, at, "method") != "sms" && r.problem.is_none() {
        fail(r, &at.key("method"), "must be \"sms\" (the only method so far)");
    }
    let here = at.key("endpoint");
    let endpoint = match m.optional("endpoint") {
        Some(v) => {
            let given = r.string(&here, v);
            if !(url::is_http(&given) || (given.starts_with('/') && !given.starts_with("//"))) {
                fail(r, &here, "must be an http(s) URL or a path starting with '/'");
            }
            given
        }
        // The collector's confirmations sit beside its records.
        None => match endpoint.strip_suffix("/consents") {
            Some(base) => concat_path(base),
            None => {
                let problem = "must be given: the records' endpoint does not end in /consents, so the \
                               confirmations' cannot be derived from it";
                fail(r, &here, problem);
                String::new()
            }
        },
    };
    // The phone that confirms is the record's subject: a form that names another subject would
    // make every confirmation fail the collector's check.
    if let Some(f) = form {
        let subject = f.subject.as_ref().and_then(|s| f.fields.iter().find(|x| &x.name == s));
        if !subject.is_some_and(|x| x.kind == FieldKind::Phone) {
            let problem = "a form confirmed by SMS must name its phone field as form.subject";
            fail(r, &Path::ROOT.key("form").key("subject"), problem);
        }
    }
    m.finish(r, at, UNKNOWN);
    Confirm { endpoint }
}

fn concat_path(base: &str) -> String {
    crate::concat::concat(&[base, "/confirmations"])
}
