//! A static HTML page showing a config's notice in one language as a visitor first sees it and
//! with its details opened, drawn by the banner's own view and styled by the shipped stylesheet.

use kelisim::banner::{Banner, Layout, Msg};
use kelisim::config::Config;
use kelisim::lang::Lang;
use kelisim::record::{Context, Stamp};
use kelisim::view::{Out, View};

use super::words::{line, Line};

/// The stylesheet the notice ships with, inlined: the preview loads nothing.
pub const CSS: &str = include_str!("../../../assets/kelisim.css");

/// Where a preview page's styles come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Styles<'a> {
    /// Inlined: a file that opens on its own.
    Inline,
    /// Linked: the stylesheet at this URL (the console, whose CSP allows no inline style).
    Linked(&'a str),
}

/// The preview page of `config` in `lang`; `file` and `sha` are said at its top.
pub fn page(config: &Config, lang: Lang, file: &str, sha: &str) -> String {
    page_with(config, lang, file, sha, Styles::Inline)
}

/// The preview page, its styles inlined or linked.
pub fn page_with(config: &Config, lang: Lang, file: &str, sha: &str, styles: Styles<'_>) -> String {
    let mut head = View::default();
    let v = &mut Out::new(&mut head);
    v.open("header").attr("class", "preview");
    v.leaf("h1", "", &format!("{} — {}", line(Line::PreviewOf, lang), config.policy.title.get(lang)));
    v.open("p").text(&format!("{file} · {} {} · {}", config.policy.id, config.policy.version, lang.code()));
    v.close();
    v.open("p").text("textSha256 ").open("code").text(sha).close().close();
    v.close();
    let mut out = String::from("<!doctype html>\n<html lang=\"");
    out.push_str(lang.code());
    out.push_str("\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    if styles == Styles::Inline {
        // A file opened on its own gets its own policy; in the console it inherits the console's.
        out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">");
    }
    out.push_str("<title>");
    out.push_str(&text_of(&format!("{} — {file} ({})", line(Line::PreviewOf, lang), lang.code())));
    out.push_str("</title>");
    match styles {
        Styles::Inline => {
            out.push_str("<style>");
            out.push_str(CSS);
            out.push_str(PAGE_CSS);
            out.push_str("</style>");
        }
        Styles::Linked(href) => {
            out.push_str("<link rel=\"stylesheet\" href=\"");
            out.push_str(&text_of(href));
            out.push_str("\">");
        }
    }
    out.push_str("</head><body><main>");
    out.push_str(&head.to_html());
    for (heading, expanded) in [(Line::FirstLayer, false), (Line::Expanded, true)] {
        out.push_str("<section><h2>");
        out.push_str(line(heading, lang));
        out.push_str("</h2><div data-kelisim-layout=\"inline\">");
        out.push_str(&notice(config, lang, expanded).to_html());
        out.push_str("</div></section>");
    }
    out.push_str("</main></body></html>\n");
    out
}

/// The preview page's own layout around the notice.
pub const PAGE_CSS: &str =
    "\nbody{margin:0;background:#f6f8fa;font:16px/1.5 system-ui,sans-serif;color:#1b1f24}\
main{max-width:48rem;margin:0 auto;padding:1rem}.preview code{word-break:break-all}\
section{margin:1.5rem 0}h2{font-size:1.1rem}\n";

/// The notice as the page would draw it: inline, bound to its form where the config has one.
fn notice(config: &Config, lang: Lang, expanded: bool) -> View {
    let prefix = if expanded { "kelisim-details" } else { "kelisim-first" };
    let mut banner = Banner::new(config.clone(), lang, None, Context::default(), prefix);
    banner.set_layout(Layout::Inline);
    if config.form.is_some() {
        banner.bind_to_form();
    }
    if expanded {
        // Opening the details records nothing, so no stamp is ever asked for.
        let stamp = || Stamp { now_ms: 0, record_id: String::new(), previous_record_id: None };
        banner.update(Msg::Details, stamp);
    }
    banner.view()
}

/// `s` escaped as HTML text.
fn text_of(s: &str) -> String {
    let mut view = View::default();
    Out::new(&mut view).open("b").text(s).close();
    let html = view.to_html();
    html.trim_start_matches("<b>").trim_end_matches("</b>").to_owned()
}
