//! The hand-written type declarations (`assets/kelisim.d.ts`) name exactly the field kinds and
//! check codes the core has, so a code added in Rust cannot be missing from the types.

use kelisim::validate::{Code, FieldKind};

fn union(name: &str) -> Vec<String> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/kelisim.d.ts")).unwrap();
    let start = text.find(&format!("export type {name} =")).unwrap_or_else(|| panic!("no type {name}"));
    let body = &text[start..start + text[start..].find(';').unwrap()];
    body.split('"').skip(1).step_by(2).map(str::to_owned).collect()
}

#[test]
fn the_field_code_union_is_every_code_of_the_core() {
    // `Code::ALL` lists the failures and warnings; `ok` is the verdict of a valid value.
    let mut core = vec![Code::Ok.as_str().to_owned()];
    core.extend(Code::ALL.iter().map(|c| c.as_str().to_owned()));
    assert_eq!(union("FieldCode"), core);
}

#[test]
fn the_field_kind_union_is_every_kind_the_core_parses() {
    // `FieldKind::parse` knows these ten spellings (surname and givenName are names): the union
    // names each, and nothing it does not parse.
    let kinds = union("FieldKind");
    assert_eq!(kinds.len(), 10);
    for kind in &kinds {
        assert!(FieldKind::parse(kind).is_some(), "{kind}");
    }
    for unknown in ["passport", "Phone", "address"] {
        assert!(FieldKind::parse(unknown).is_none(), "{unknown}");
    }
}
