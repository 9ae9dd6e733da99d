//! Builds `pkg/`: the wasm (size profile), its JS glue, the CSS, the auto-mount script, package.json.

use crate::names;
use crate::util::{root, run, Cmd};
use std::fs;
use std::path::Path;

const CRATE_VERSION: &str = "0.1.0";

/// One wasm build of the crate: its file names in `pkg/` and the cargo features it is made with.
pub struct Build {
    /// `pkg/NAME.js` and `pkg/NAME_bg.wasm`.
    pub name: &'static str,
    /// What a page of this kind is.
    pub page: &'static str,
    features: &'static [&'static str],
}

/// The two builds: a banner page downloads no form code; a signup page gets the validators.
pub const BUILDS: [Build; 2] = [
    Build { name: "kelisim-banner", page: "banner page", features: &["--no-default-features"] },
    Build {
        name: "kelisim",
        page: "signup-form page",
        features: &["--no-default-features", "--features", "form"],
    },
];

/// Builds the browser package into `pkg/`: both builds, the CSS, the auto-mount script.
pub fn package() -> Result<(), String> {
    let pkg = root().join("pkg");
    let _ = fs::remove_dir_all(&pkg);
    for build in &BUILDS {
        wasm(build)?;
    }
    let assets = root().join("assets");
    fs::copy(assets.join("embed.html"), pkg.join("embed.html"))
        .map_err(|e| format!("copy assets/embed.html: {e}"))?;
    run(Cmd::new("node_modules/.bin/terser").args([
        "assets/kelisim-auto.js",
        "--module",
        "--compress",
        "--mangle",
        "--output",
        "pkg/kelisim-auto.js",
    ]))?;
    let css =
        fs::read_to_string(assets.join("kelisim.css")).map_err(|e| format!("assets/kelisim.css: {e}"))?;
    fs::write(pkg.join("kelisim.css"), minify_css(&css)).map_err(|e| format!("pkg/kelisim.css: {e}"))?;
    types(&assets, &pkg)?;
    let manifest = format!(
        r#"{{
  "name": "kelisim",
  "version": "{CRATE_VERSION}",
  "description": "Consent notices for personal-data operators in Kazakhstan (Law 94-V), in WebAssembly",
  "type": "module",
  "main": "kelisim.js",
  "types": "kelisim.d.ts",
  "exports": {{
    ".": {{ "types": "./kelisim.d.ts", "default": "./kelisim.js" }},
    "./banner": {{ "types": "./kelisim-banner.d.ts", "default": "./kelisim-banner.js" }},
    "./auto": "./kelisim-auto.js",
    "./kelisim.css": "./kelisim.css",
    "./kelisim_bg.wasm": "./kelisim_bg.wasm",
    "./kelisim-banner_bg.wasm": "./kelisim-banner_bg.wasm",
    "./embed.html": "./embed.html",
    "./package.json": "./package.json"
  }},
  "files": ["kelisim.js", "kelisim_bg.wasm", "kelisim.d.ts", "kelisim-banner.js", "kelisim-banner_bg.wasm", "kelisim-banner.d.ts", "config.d.ts", "kelisim.css", "kelisim-auto.js", "embed.html", "README.md"],
  "sideEffects": ["./kelisim.js", "./kelisim-banner.js", "./kelisim-auto.js"],
  "engines": {{ "node": ">=20" }},
  "license": "MIT OR Apache-2.0"
}}
"#
    );
    fs::write(pkg.join("package.json"), manifest).map_err(|e| format!("pkg/package.json: {e}"))?;
    println!("pkg/ built");
    Ok(())
}

/// The type declarations: both builds' (written by hand, `assets/*.d.ts`), the config's (generated
/// from the JSON Schema, so it cannot drift from it), and the npm README.
fn types(assets: &Path, pkg: &Path) -> Result<(), String> {
    for file in ["kelisim.d.ts", "kelisim-banner.d.ts"] {
        fs::copy(assets.join(file), pkg.join(file)).map_err(|e| format!("copy assets/{file}: {e}"))?;
    }
    fs::copy(assets.join("npm-README.md"), pkg.join("README.md"))
        .map_err(|e| format!("copy assets/npm-README.md: {e}"))?;
    run(Cmd::new("node_modules/.bin/json2ts").args([
        "--input",
        "schema/config.schema.json",
        "--output",
        "pkg/config.d.ts",
        "--no-additionalProperties",
        "--bannerComment",
        "// The config's type, generated from schema/config.schema.json by json-schema-to-typescript.",
    ]))
}

/// Compiles one build, generates its JS glue, optimises the wasm and minifies the glue.
fn wasm(build: &Build) -> Result<(), String> {
    // Panic locations carry source paths into the wasm data section; shorten them.
    let home = std::env::var("HOME").unwrap_or_default();
    let remap = format!(
        "--remap-path-prefix={home}/.cargo/registry/src/= --remap-path-prefix={}/=",
        root().display()
    );
    let cargo =
        ["build", "-p", "kelisim", "--lib", "--target", "wasm32-unknown-unknown", "--profile", "wasm"];
    run(Cmd::new("cargo")
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", &remap)
        .args(cargo)
        .args(build.features.iter().copied())
        .args(["--quiet"]))?;
    run(Cmd::new("wasm-bindgen").args([
        "--target",
        "web",
        "--no-typescript",
        "--out-dir",
        "pkg",
        "--out-name",
        build.name,
        "target/wasm32-unknown-unknown/wasm/kelisim.wasm",
    ]))?;
    let wasm = format!("pkg/{}_bg.wasm", build.name);
    let glue = format!("pkg/{}.js", build.name);
    let flags = [
        // Flattening and re-relooping the control flow before the size passes, then running them
        // twice, saves ~250 B gzip on each build (measured with binaryen 132).
        "--flatten",
        "--rereloop",
        "-Oz",
        // Inlining a function into its one caller makes the module bigger after gzip (measured).
        "--one-caller-inline-max-function-size",
        "20",
        "-Oz",
        "--strip-debug",
        "--strip-producers",
        "--strip-target-features",
        "--enable-bulk-memory",
        "--enable-nontrapping-float-to-int",
        "--enable-sign-ext",
        "--enable-mutable-globals",
        "--enable-reference-types",
        "--enable-multivalue",
        "--minify-imports-and-exports-and-modules",
    ];
    println!("$ wasm-opt {} {wasm} -o {wasm}", flags.join(" "));
    let report = std::process::Command::new(root().join("node_modules/.bin/wasm-opt"))
        .current_dir(root())
        .args(flags)
        .args([&wasm, "-o", &wasm])
        .output()
        .map_err(|e| format!("wasm-opt could not start: {e}"))?;
    if !report.status.success() {
        return Err(format!("wasm-opt failed: {}", String::from_utf8_lossy(&report.stderr)));
    }
    let mapping = names::Mapping::parse(&String::from_utf8_lossy(&report.stdout))?;
    let text = fs::read_to_string(root().join(&glue)).map_err(|e| format!("{glue}: {e}"))?;
    let mut text = mapping.apply(&text).map_err(|e| format!("{glue}: {e}"))?;
    // The page-side gating (DOM work in JavaScript costs a fifth of the same in the wasm shell,
    // measured) goes in the glue itself: every page that loads kelisim has it, with no request more.
    let gating = fs::read_to_string(root().join("assets/kelisim-gate.js"))
        .map_err(|e| format!("assets/kelisim-gate.js: {e}"))?;
    text.push('\n');
    text.push_str(&gating);
    fs::write(root().join(&glue), text).map_err(|e| format!("{glue}: {e}"))?;
    // The glue is plain ES module code; minifying it saves ~2 KB gzip (measured).
    run(Cmd::new("node_modules/.bin/terser").args([
        &glue,
        "--module",
        "--compress",
        "--mangle",
        "--output",
        &glue,
    ]))
}

/// Drops comments, indentation and line breaks from our own stylesheet (no strings or `url()`s
/// with significant whitespace in it); every declaration is kept.
fn minify_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..].find("*/").map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    let joined: Vec<&str> = out.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let mut min = joined.join(" ");
    for (from, to) in
        [(" { ", "{"), ("; ", ";"), (" }", "}"), (": ", ":"), (", ", ","), ("{ ", "{"), ("} ", "}")]
    {
        min = min.replace(from, to);
    }
    min.push('\n');
    min
}

#[cfg(test)]
mod tests {
    use super::minify_css;

    #[test]
    fn css_minifier_keeps_declarations_and_drops_comments() {
        let css = "/* c */\n.a .b {\n  color: red;\n  margin: 0 auto;\n}\n@media (max-width: 5px) {\n  .c { inset: 0 0 0 0; }\n}\n";
        assert_eq!(
            minify_css(css),
            ".a .b{color:red;margin:0 auto;}@media (max-width:5px){.c{inset:0 0 0 0;}}\n"
        );
    }
}
