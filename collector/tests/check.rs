//! `kelisim-collector check`, run as an operator's CI runs it: the five operators' configs are
//! clean, with the text hash of each language and a preview page per language; broken ones have
//! every problem named with its field, in kk, ru or en; exit 0, 1 or 2.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{Scratch, BIN};
use kelisim::config::Config;
use kelisim::json::Json;
use kelisim::lang::Lang;

const OPERATORS: [&str; 5] = ["batys", "esperance", "hitter", "karatel", "simply"];

fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../www/consent").join(format!("{name}.json"))
}

fn check(args: &[&str], files: &[PathBuf]) -> Output {
    Command::new(BIN).arg("check").args(args).args(files).output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The Esperance config with `edit` applied, written into `scratch` as `name`.
fn broken(scratch: &Scratch, name: &str, edit: impl FnOnce(&mut Vec<(String, Json)>)) -> PathBuf {
    let mut json = Json::parse(&std::fs::read_to_string(shipped("esperance")).unwrap()).unwrap();
    let Json::Object(members) = &mut json else { panic!("a config is an object") };
    edit(members);
    let path = scratch.0.join(name);
    std::fs::write(&path, json.to_text()).unwrap();
    path
}

fn member<'a>(members: &'a mut [(String, Json)], key: &str) -> &'a mut Json {
    &mut members.iter_mut().find(|(k, _)| k == key).unwrap_or_else(|| panic!("no {key}")).1
}

/// Sets `key` of an object to `value`, in place when it is there.
fn put(members: &mut Vec<(String, Json)>, key: &str, value: Json) {
    match members.iter_mut().find(|(k, _)| k == key) {
        Some((_, v)) => *v = value,
        None => members.push((key.to_owned(), value)),
    }
}

fn object(json: &mut Json) -> &mut Vec<(String, Json)> {
    match json {
        Json::Object(m) => m,
        _ => panic!("not an object"),
    }
}

/// Seven mistakes of different kinds in one file.
fn seven_mistakes(scratch: &Scratch) -> PathBuf {
    broken(scratch, "seven.json", |m| {
        put(object(member(m, "operator")), "bin", "980540000398".into());
        object(member(m, "policy")).retain(|(k, _)| k != "version");
        let Json::Array(purposes) = member(m, "purposes") else { panic!() };
        let first = object(&mut purposes[0]);
        first.push(("withdrawlEffect".into(), "x".into()));
        object(member(first, "title")).retain(|(k, _)| k != "ru");
        *member(m, "endpoint") = "//evil.example/consents".into();
        *member(m, "transfers") = Json::Array(vec![]);
        put(m, "languages", Json::Array(vec!["kk".into(), "ru".into(), "de".into()]));
    })
}

#[test]
fn the_five_operators_configs_are_clean_with_each_text_hash_and_a_preview_per_language() {
    let scratch = Scratch::new("check-clean");
    let previews = scratch.0.join("preview");
    let files: Vec<PathBuf> = OPERATORS.iter().map(|n| shipped(n)).collect();
    let out = check(&["--lang", "en", "--preview", previews.to_str().unwrap()], &files);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert!(report.ends_with("every config is clean\n"), "{report}");
    for (name, file) in OPERATORS.iter().zip(&files) {
        assert!(report.contains(&format!("{}: ok\n", file.display())), "{name}: {report}");
        let config = Config::from_json_text(&std::fs::read_to_string(file).unwrap()).unwrap();
        for lang in Lang::ALL.into_iter().filter(|l| config.offers(*l)) {
            let sha = kelisim::canonical::text_sha256(&config, lang);
            assert!(report.contains(&format!("textSha256 {} {sha}\n", lang.code())), "{name} {lang:?}");
            let page = previews.join(format!("{name}.{}.html", lang.code()));
            assert!(report.contains(&format!("preview: {}\n", page.display())), "{report}");
            let html = std::fs::read_to_string(&page).unwrap();
            assert!(html.starts_with(&format!("<!doctype html>\n<html lang=\"{}\">", lang.code())));
            assert!(
                html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""),
                "no script runs"
            );
            assert!(!html.contains("<script"), "{name}: a preview has no script");
            assert!(html.contains(&sha), "the page says which text it shows");
            assert!(html.contains("aria-expanded=\"true\""), "{name}: the details layer is shown opened");
            for purpose in &config.purposes {
                let title = escaped(purpose.title.get(lang));
                assert!(html.matches(&title).count() >= 2, "{name} {lang:?}: both layers show {title}");
            }
        }
    }
}

fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[test]
fn operator_text_in_a_preview_is_text_not_markup() {
    let scratch = Scratch::new("check-markup");
    let file = broken(&scratch, "markup.json", |m| {
        let Json::Array(purposes) = member(m, "purposes") else { panic!() };
        *member(object(member(object(&mut purposes[1]), "title")), "kk") =
            "<img src=x onerror=alert(1)>".into();
    });
    let previews = scratch.0.join("p");
    let out = check(&["--preview", previews.to_str().unwrap()], &[file]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let html = std::fs::read_to_string(previews.join("markup.kk.html")).unwrap();
    assert!(!html.contains("<img"), "operator text became markup");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
}

#[test]
fn every_problem_of_a_broken_config_is_named_with_its_field_in_each_language() {
    let scratch = Scratch::new("check-broken");
    let file = seven_mistakes(&scratch);
    let name = file.display().to_string();
    let en = check(&["--lang", "en"], std::slice::from_ref(&file));
    assert_eq!(en.status.code(), Some(1));
    let report = stdout(&en);
    let expected = [
        format!("{name}: problems: 7"),
        "  languages[2]: unknown language: use \"kk\", \"ru\" or \"en\"".into(),
        "  operator.bin: the check digit does not match: check the 12 digits of the BIN".into(),
        "  policy.version: missing: this field is required".into(),
        "  purposes[0].title: no \"ru\" text".into(),
        "  purposes[0].withdrawlEffect: unknown field: check its spelling against the config schema".into(),
        "  transfers: expected an object, found an array".into(),
        "  endpoint: must be an http(s) URL or a path starting with '/'".into(),
        "problems in all: 7".into(),
    ];
    assert_eq!(report.lines().collect::<Vec<_>>(), expected, "{report}");

    let ru = stdout(&check(&["--lang", "ru"], std::slice::from_ref(&file)));
    assert!(ru.contains("  operator.bin: контрольная цифра не совпадает: проверьте 12 цифр БИН\n"), "{ru}");
    assert!(ru.contains("  transfers: ожидается: объект; указано: массив\n"), "{ru}");
    assert!(ru.contains("  purposes[0].title: нет текста для языка \"ru\"\n"), "{ru}");
    let kk = stdout(&check(&[], std::slice::from_ref(&file)));
    assert!(kk.starts_with(&format!("{name}: қате саны: 7\n")), "Kazakh by default: {kk}");
    assert!(kk.contains("  policy.version: көрсетілмеген: бұл өріс міндетті\n"), "{kk}");
    for (translated, lang) in [(&ru, "ru"), (&kk, "kk")] {
        for (said, english) in translated.lines().zip(report.lines()).skip(1).take(7) {
            assert_ne!(said, english, "{lang} has a translation of every problem");
            assert_eq!(said.split(':').next(), english.split(':').next(), "the field stays as written");
        }
    }
}

#[test]
fn clean_and_broken_configs_together_exit_1_and_text_that_is_not_json_is_one_problem() {
    let scratch = Scratch::new("check-mixed");
    let not_json = scratch.0.join("not.json");
    std::fs::write(&not_json, "{\"languages\": [").unwrap();
    let out = check(&["--lang", "en"], &[shipped("karatel"), not_json.clone()]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(
        report.contains(&format!("{}: problems: 1\n  (JSON): not valid JSON at byte 15", not_json.display()))
    );
    assert!(report.contains(": ok\n"), "the clean one is still reported: {report}");
}

#[test]
fn a_file_that_cannot_be_read_exits_2_and_the_rest_are_still_checked() {
    let out = check(&["--lang", "en"], &[PathBuf::from("/nonexistent/config.json"), shipped("simply")]);
    let report = stdout(&out);
    assert_eq!(out.status.code(), Some(2), "{report}");
    assert!(report.contains("/nonexistent/config.json: cannot read or write:"), "{report}");
    assert!(report.contains("simply.json: ok"), "{report}");
    let none = Command::new(BIN).arg("check").output().unwrap();
    assert_eq!(none.status.code(), Some(2), "clap: a config is required");
    let lang = check(&["--lang", "de"], &[shipped("simply")]);
    assert!(String::from_utf8_lossy(&lang.stderr).contains("\"de\" is not kk, ru or en"));
}

#[test]
fn serve_refuses_to_start_on_a_broken_policy_and_names_every_problem() {
    let scratch = Scratch::new("check-serve");
    let dir = scratch.0.join("policies");
    std::fs::create_dir_all(&dir).unwrap();
    let file = seven_mistakes(&scratch);
    std::fs::rename(&file, dir.join("seven.json")).unwrap();
    let out = Command::new(BIN)
        .args(["serve", "--addr", "127.0.0.1:0", "--policies"])
        .arg(&dir)
        .arg("--db")
        .arg(scratch.0.join("l.sqlite"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("seven.json: problems: 7"), "{err}");
    for field in
        ["languages[2]", "operator.bin", "policy.version", "purposes[0].title", "transfers:", "endpoint:"]
    {
        assert!(err.contains(&format!("config: {field}")), "{field} in {err}");
    }
}
