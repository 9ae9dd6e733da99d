//! Reading the `form` section: the signup form kelisim validates and binds to the consent.

use super::{index, Members, Reader};
use crate::config::{Form, FormField};
use crate::json::Json;
use crate::prelude::*;
use crate::validate::FieldKind;

pub(super) fn form(r: &mut Reader, path: String, json: &Json) -> Form {
    let mut m = Members::of(r, path, json);
    let (p, v) = m.required(r, "selector");
    let selector = r.string(&p, v);
    let minimum_age = match m.optional("minimumAge") {
        Some((p, Json::Number(n))) => n.parse::<u32>().ok().filter(|a| *a <= 21).unwrap_or_else(|| {
            r.fail(&p, "must be a whole number of years from 0 to 21");
            0
        }),
        Some((p, other)) => {
            r.expected(&p, "a whole number of years", other);
            0
        }
        None => 0,
    };
    let subject = m.optional("subject").map(|(p, v)| (p.clone(), r.string(&p, v)));
    let (p, v) = m.required(r, "fields");
    let mut fields: Vec<FormField> = Vec::new();
    for (i, item) in r.array(&p, v).iter().enumerate() {
        let mut f = Members::of(r, index(&p, i), item);
        let (np, nv) = f.required(r, "name");
        let name = r.identifier(&np, nv);
        if fields.iter().any(|x| x.name == name) {
            r.fail(&np, "duplicate field name");
        }
        let (kp, kv) = f.required(r, "kind");
        let kind_text = r.string(&kp, kv);
        let kind = FieldKind::parse(&kind_text).unwrap_or_else(|| {
            if !kind_text.is_empty() {
                r.fail(
                    &kp,
                    "unknown kind: use iin, bin, phone, email, name, patronymic, postcode or birthDate",
                );
            }
            FieldKind::Name
        });
        let required = f.optional("required").is_some_and(|(p, v)| r.boolean(&p, v));
        let allow_landline = f.optional("allowLandline").is_some_and(|(p, v)| r.boolean(&p, v));
        f.finish(r);
        fields.push(FormField { name, kind, required, allow_landline });
    }
    let subject = subject.map(|(p, name)| {
        if !fields.iter().any(|f| f.name == name) {
            r.fail(&p, "must name one of the form's fields");
        }
        name
    });
    m.finish(r);
    Form { selector, minimum_age, subject, fields }
}
