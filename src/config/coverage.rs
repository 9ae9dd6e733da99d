//! What the consent names covers what the page collects: every field of a bound form is named by a
//! data category, and every data category is used by some purpose.
//!
//! A field is covered when `dataCategories` has a category with one of the well-known ids of its
//! kind ([`categories_for`]); the first id is the one to add. The rule is part of every config
//! read, so the browser and the collector refuse the same configs.

use super::{DataCategory, Form, Purpose};
use crate::concat::concat;
use crate::json::read::{Kind, Path, Reader};
use crate::prelude::*;
use crate::validate::FieldKind;

/// The kind as a config writes it, and the category ids that name what such a field collects;
/// the first is the one to add.
pub fn categories_for(kind: FieldKind) -> (&'static str, &'static [&'static str]) {
    match kind {
        FieldKind::Iin => ("iin", &["iin"]),
        FieldKind::Bin => ("bin", &["bin"]),
        FieldKind::Phone => ("phone", &["phone", "contacts", "subscriberNumber"]),
        FieldKind::Email => ("email", &["email", "contacts"]),
        FieldKind::Name => ("name", &["fullName"]),
        FieldKind::Patronymic => ("patronymic", &["fullName"]),
        FieldKind::Postcode => ("postcode", &["address", "postcode", "actualAddress", "registrationAddress"]),
        FieldKind::BirthDate => ("birthDate", &["birthDate"]),
    }
}

/// Notes each field of a bound form that collects what no category names, and each category no
/// purpose uses.
pub(super) fn check(r: &mut Reader, form: Option<&Form>, categories: &[DataCategory], purposes: &[Purpose]) {
    let named = |id: &str| categories.iter().any(|c| c.id == id);
    // Where a part was read as empty values, the rules over the whole would only echo its problem.
    let categories_whole = r.whole("dataCategories");
    #[cfg(not(target_arch = "wasm32"))]
    let purposes_whole = categories_whole && r.whole("purposes");
    let fields = match form {
        Some(f) if categories_whole && r.whole("form") => &f.fields[..],
        _ => &[],
    };
    let list = Path::ROOT.key("form");
    let list = list.key("fields");
    for (i, field) in fields.iter().enumerate() {
        let (kind, ids) = categories_for(field.kind);
        if ids.iter().any(|id| named(id)) {
            continue;
        }
        let mut problem = String::from("a field of kind \"");
        problem.push_str(kind);
        problem.push_str("\" collects data that no category names: add a category with id");
        for (j, id) in ids.iter().enumerate() {
            problem.push_str(match j {
                0 => " \"",
                1 => "\" (or \"",
                _ => "\", \"",
            });
            problem.push_str(id);
        }
        problem.push_str(if ids.len() > 1 { "\")" } else { "\"" });
        problem.push_str(" to dataCategories and to the data of the purposes that use it");
        r.fail(&list.index(i).key("kind"), Kind::Invalid, problem);
    }
    let unused = |c: &&DataCategory| !purposes.iter().any(|p| p.data.contains(&c.id));
    // Where only the first problem is kept, the first unused category is all there is to say.
    #[cfg(target_arch = "wasm32")]
    if let Some((i, category)) = categories.iter().enumerate().find(|(_, c)| unused(c)) {
        unused_category(r, i, category);
    }
    #[cfg(not(target_arch = "wasm32"))]
    for (i, category) in categories.iter().enumerate().filter(|(_, c)| purposes_whole && unused(c)) {
        unused_category(r, i, category);
    }
}

/// Notes that no purpose uses the category at `dataCategories[i]`.
fn unused_category(r: &mut Reader, i: usize, category: &DataCategory) {
    let problem = [
        "no purpose uses \"",
        &category.id,
        "\": add it to the data of the purposes that use it, or remove the category",
    ];
    r.fail(&Path::ROOT.key("dataCategories").index(i).key("id"), Kind::Invalid, concat(&problem));
}

#[cfg(all(test, feature = "form"))]
mod tests {
    use crate::config::tests::SAMPLE;
    use crate::config::Config;
    use crate::json::Json;

    const ESPERANCE: &str = include_str!("../../www/consent/esperance.json");

    fn items<'a>(json: &'a mut Json, key: &str) -> &'a mut Vec<Json> {
        match json {
            Json::Object(m) => match &mut m.iter_mut().find(|(k, _)| k == key).expect(key).1 {
                Json::Array(items) => items,
                _ => panic!("{key} is not an array"),
            },
            _ => panic!("not an object"),
        }
    }

    /// The Esperance config with its IIN category removed from dataCategories and every purpose.
    fn esperance_without_iin() -> Json {
        let mut json = Json::parse(ESPERANCE).unwrap();
        items(&mut json, "dataCategories").retain(|c| c.get("id").and_then(Json::as_str) != Some("iin"));
        for purpose in items(&mut json, "purposes").iter_mut() {
            items(purpose, "data").retain(|d| d.as_str() != Some("iin"));
        }
        json
    }

    #[test]
    fn esperance_with_its_iin_category_is_accepted() {
        let cfg = Config::from_json_text(ESPERANCE).expect("the shipped config is valid");
        assert!(cfg.data_category("iin").is_some());
    }

    #[test]
    fn esperance_without_an_iin_category_is_refused_naming_the_iin_field() {
        let err = Config::from_json(&esperance_without_iin()).unwrap_err();
        assert_eq!(err.field, "form.fields[3].kind");
        assert_eq!(
            err.problem,
            "a field of kind \"iin\" collects data that no category names: add a category with id \
             \"iin\" to dataCategories and to the data of the purposes that use it"
        );
    }

    #[test]
    fn a_phone_field_is_covered_by_contacts_and_the_message_lists_the_alternatives() {
        let mut json = Json::parse(ESPERANCE).unwrap();
        assert!(Config::from_json(&json).is_ok(), "phone and e-mail are covered by \"contacts\"");
        items(&mut json, "dataCategories").retain(|c| c.get("id").and_then(Json::as_str) != Some("contacts"));
        for purpose in items(&mut json, "purposes").iter_mut() {
            items(purpose, "data").retain(|d| d.as_str() != Some("contacts"));
        }
        let err = Config::from_json(&json).unwrap_err();
        assert_eq!(err.field, "form.fields[5].kind");
        assert!(
            err.problem.contains("id \"phone\" (or \"contacts\", \"subscriberNumber\")"),
            "{}",
            err.problem
        );
    }

    #[test]
    fn a_category_no_purpose_uses_is_refused() {
        let mut json = Json::parse(SAMPLE).unwrap();
        for purpose in items(&mut json, "purposes").iter_mut() {
            items(purpose, "data").retain(|d| d.as_str() != Some("fullName"));
            items(purpose, "data").push("phone".into());
        }
        let err = Config::from_json(&json).unwrap_err();
        assert_eq!(
            err.to_string(),
            "config: dataCategories[0].id: no purpose uses \"fullName\": add it to the data of the purposes \
             that use it, or remove the category"
        );
    }

    #[test]
    fn a_config_without_a_form_needs_no_field_coverage() {
        let mut json = Json::parse(ESPERANCE).unwrap();
        if let Json::Object(m) = &mut json {
            m.retain(|(k, _)| k != "form");
        }
        let mut without_iin = esperance_without_iin();
        if let Json::Object(m) = &mut without_iin {
            m.retain(|(k, _)| k != "form");
        }
        assert!(Config::from_json(&json).is_ok());
        assert!(Config::from_json(&without_iin).is_ok());
    }
}
