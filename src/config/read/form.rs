//! Reading the `form` section: the signup form kelisim validates and binds to the consent.

use super::{fail, identifier, string_member, UNKNOWN};
use crate::config::{Form, FormField};
use crate::json::read::{Path, Reader};
use crate::json::Json;
use crate::prelude::*;
use crate::validate::FieldKind;

pub(super) fn form(r: &mut Reader, at: &Path<'_>, json: &Json) -> Form {
    let mut m = r.object(at, json);
    let selector = string_member(r, &mut m, at, "selector");
    let minimum_age = match m.optional("minimumAge") {
        Some(v) => {
            let here = at.key("minimumAge");
            let years = r.uint(&here, v);
            if years > 21 {
                fail(r, &here, "must be a whole number of years from 0 to 21");
            }
            years.min(21) as u32
        }
        None => 0,
    };
    let subject_at = at.key("subject");
    let subject = m.optional("subject").map(|v| r.string(&subject_at, v));
    let list = at.key("fields");
    let mut fields: Vec<FormField> = Vec::new();
    let fields_json = m.required(r, at, "fields");
    for (i, item) in r.array(&list, fields_json).iter().enumerate() {
        let here = list.index(i);
        let mut f = r.object(&here, item);
        let name_at = here.key("name");
        let name_json = f.required(r, &here, "name");
        let name = identifier(r, &name_at, name_json);
        if fields.iter().any(|x| x.name == name) {
            fail(r, &name_at, "duplicate field name");
        }
        let kind_at = here.key("kind");
        let kind_json = f.required(r, &here, "kind");
        let kind_text = r.string(&kind_at, kind_json);
        let kind = FieldKind::parse(&kind_text).unwrap_or_else(|| {
            if !kind_text.is_empty() {
                fail(
                    r,
                    &kind_at,
                    "unknown kind: use iin, bin, phone, email, name, patronymic, postcode or birthDate",
                );
            }
            FieldKind::Name
        });
        let required = f.optional("required").is_some_and(|v| r.boolean(&here.key("required"), v));
        let allow_landline =
            f.optional("allowLandline").is_some_and(|v| r.boolean(&here.key("allowLandline"), v));
        f.finish(r, &here, UNKNOWN);
        fields.push(FormField { name, kind, required, allow_landline });
    }
    if subject.as_ref().is_some_and(|name| !fields.iter().any(|f| &f.name == name)) {
        fail(r, &subject_at, "must name one of the form's fields");
    }
    m.finish(r, at, UNKNOWN);
    Form { selector, minimum_age, subject, fields }
}
