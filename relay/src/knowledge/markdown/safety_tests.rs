//! What makes the subset safe, checked on hostile input: a strict reader
//! of `to_html`'s tags, the shapes `parse` may give, XSS attempts, deep
//! nesting, and properties over arbitrary input. The construct-by-construct
//! tests (`markdown_tests.rs`) use the same checks.

use proptest::prelude::*;

use super::*;

pub(super) fn text(t: &str) -> Inline {
    Inline::Text { text: t.into() }
}

pub(super) fn para(inlines: Vec<Inline>) -> Block {
    Block::Paragraph { inlines }
}

/// The tags `to_html` may write; only links and images carry attributes.
const TAGS: &[&str] = &[
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "code", "pre", "br",
    "a", "img",
];

fn attributes(tag: &str) -> &'static [&'static str] {
    match tag {
        "a" => &["href", "rel", "target"],
        "img" => &["src", "alt", "loading"],
        _ => &[],
    }
}

/// Reads every tag of `html` strictly (`<name attr="value">`, `</name>`):
/// each `<` must open an allowed tag with its allowed attributes, `href`
/// and `src` must be absolute http(s) (or mailto for links), tags must
/// nest, and no `>` may stand outside a tag. Escaped text cannot contain
/// `<`, so this sees every element a browser would build.
pub(super) fn assert_safe_html(html: &str) {
    let mut open: Vec<&str> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(['<', '>']) {
        assert!(rest[at..].starts_with('<'), "a bare > in {html}");
        let end = rest[at..]
            .find('>')
            .map(|e| at + e)
            .unwrap_or_else(|| panic!("unclosed tag in {html}"));
        let tag = &rest[at + 1..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(open.pop(), Some(name), "misnested </{name}> in {html}");
            continue;
        }
        let (name, mut attrs) = tag.split_once(' ').unwrap_or((tag, ""));
        assert!(TAGS.contains(&name), "<{name}> in {html}");
        while !attrs.is_empty() {
            let (attr, value) = attrs.split_once("=\"").unwrap_or_else(|| panic!("<{tag}>"));
            let (value, after) = value.split_once('"').unwrap_or_else(|| panic!("<{tag}>"));
            assert!(
                attributes(name).contains(&attr),
                "{attr} on <{name}> in {html}"
            );
            let schemes: &[&str] = match attr {
                "href" => &["http://", "https://", "mailto:"],
                "src" => &["http://", "https://"],
                _ => &[""],
            };
            let lower = value.to_ascii_lowercase();
            assert!(
                schemes.iter().any(|s| lower.starts_with(s)),
                "{attr}={value}"
            );
            attrs = after.strip_prefix(' ').unwrap_or(after);
        }
        if !matches!(name, "br" | "img") {
            open.push(name);
        }
    }
    assert!(open.is_empty(), "unclosed {open:?} in {html}");
    assert!(!html.contains(" dir="), "{html}");
}

/// `parse` gives only the allowed shapes: levels 1–6, checked URLs,
/// bounded depth, no empty or split text runs.
fn assert_allowed_shapes(blocks: &[Block], lists: usize) {
    assert!(lists <= MAX_LIST_DEPTH);
    for block in blocks {
        match block {
            Block::Paragraph { inlines } => assert_inlines(inlines, 0),
            Block::Heading { level, inlines } => {
                assert!((1..=6).contains(level));
                assert_inlines(inlines, 0);
            }
            Block::List { items, .. } => items
                .iter()
                .for_each(|item| assert_allowed_shapes(item, lists + 1)),
            Block::Code { text } => assert!(!text.is_empty()),
        }
    }
}

fn assert_inlines(inlines: &[Inline], spans: usize) {
    assert!(!inlines.is_empty() && spans <= MAX_SPAN_DEPTH);
    for pair in inlines.windows(2) {
        assert!(
            !matches!(pair, [Inline::Text { .. }, Inline::Text { .. }]),
            "split text {pair:?}"
        );
    }
    for inline in inlines {
        match inline {
            Inline::Text { text } => assert!(!text.is_empty()),
            Inline::Strong { inlines } | Inline::Emphasis { inlines } => {
                assert_inlines(inlines, spans + 1)
            }
            Inline::Link { href, inlines } => {
                assert_eq!(safe_url(href, LINK_SCHEMES).as_deref(), Some(href.as_str()));
                assert_inlines(inlines, spans + 1);
            }
            Inline::Image { src, .. } => {
                assert_eq!(safe_url(src, WEB_SCHEMES).as_deref(), Some(src.as_str()))
            }
            Inline::Code { .. } | Inline::LineBreak => {}
        }
    }
}

fn span_depth(inlines: &[Inline]) -> usize {
    let inner = |inlines: &[Inline]| 1 + span_depth(inlines);
    inlines
        .iter()
        .map(|inline| match inline {
            Inline::Strong { inlines }
            | Inline::Emphasis { inlines }
            | Inline::Link { inlines, .. } => inner(inlines),
            _ => 0,
        })
        .max()
        .unwrap_or(0)
}

pub(super) fn safe(markdown: &str) -> (Vec<Block>, String) {
    let blocks = parse(markdown);
    assert_allowed_shapes(&blocks, 0);
    let html = to_html(&blocks);
    assert_safe_html(&html);
    (blocks, html)
}

#[test]
fn deep_nesting_is_flattened_and_never_overflows() {
    let lists: String = (0..40)
        .map(|depth| format!("{}- item{depth}\n", "  ".repeat(depth)))
        .collect();
    let (blocks, _) = safe(&lists);
    let words = plain_text(&blocks);
    assert!(
        (0..40).all(|depth| words.contains(&format!("item{depth}"))),
        "{words}"
    );
    let spans = format!("{}x{}", "*a _b ".repeat(2000), " b_ a*".repeat(2000));
    let (blocks, _) = safe(&spans);
    let Some(Block::Paragraph { inlines }) = blocks.first() else {
        panic!("{blocks:?}")
    };
    assert_eq!(span_depth(inlines), MAX_SPAN_DEPTH);
    assert_eq!(
        plain_text(&blocks)
            .split_whitespace()
            .filter(|w| *w == "x")
            .count(),
        1
    );
    let hostile = [
        ">".repeat(60_000),
        "[".repeat(60_000),
        "![".repeat(30_000),
        format!("{}x", "1. ".repeat(20_000)),
        format!("{}x", "> - ".repeat(15_000)),
        "<a>".repeat(20_000),
    ];
    for markdown in hostile {
        safe(&markdown);
    }
}

#[test]
fn xss_attempts_become_text() {
    let attempts = [
        (
            "<script>alert(1)</script>",
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
        ),
        (
            "x <img src=x onerror=alert(1)>",
            "<p>x &lt;img src=x onerror=alert(1)&gt;</p>",
        ),
        ("[x](javascript:alert(1))", "<p>x</p>"),
        ("[x](JaVaScRiPt:alert(1))", "<p>x</p>"),
        ("[x](<java\tscript:alert(1)>)", "<p>x</p>"),
        ("[x](&#x6A;avascript:alert(1))", "<p>x</p>"),
        ("[x](vbscript:msgbox)", "<p>x</p>"),
        ("[x](data:text/html,hi)", "<p>x</p>"),
        ("[x](//evil.example)", "<p>x</p>"),
        ("[x](/relative)", "<p>x</p>"),
        (
            "![x](data:image/svg+xml,%3Csvg%20onload=alert(1)%3E)",
            "<p>x</p>",
        ),
        (
            "![x](data:image/svg+xml,<svg onload=alert(1)>)",
            "<p>![x](data:image/svg+xml,&lt;svg onload=alert(1)&gt;)</p>",
        ),
        (
            "[x](java\tscript:alert(1))",
            "<p>[x](java\tscript:alert(1))</p>",
        ),
        (
            "<a href=\"javascript:alert(1)\">y</a>",
            "<p>&lt;a href=&quot;javascript:alert(1)&quot;&gt;y&lt;/a&gt;</p>",
        ),
        ("<javascript:alert(1)>", "<p>javascript:alert(1)</p>"),
        (
            "![a\" onerror=\"x](http://e/x.png)",
            r#"<p><img src="http://e/x.png" alt="a&quot; onerror=&quot;x" loading="lazy"></p>"#,
        ),
        (
            "[q](http://e/\"onmouseover=\"x)",
            r#"<p><a href="http://e/&quot;onmouseover=&quot;x" rel="noopener noreferrer nofollow" target="_blank">q</a></p>"#,
        ),
    ];
    for (markdown, expected) in attempts {
        let (_, html) = safe(markdown);
        assert_eq!(html, expected, "{markdown}");
        // Raw HTML is text, so `onerror` may be read, never run: no tag
        // (checked by `safe`) carries anything but the allowed attributes.
        assert!(
            !html.contains("<script") && !html.contains("=\"javascript"),
            "{html}"
        );
    }
}

const PIECES: &[&str] = &[
    "*",
    "**",
    "_",
    "`",
    "```\n",
    "[",
    "]",
    "](",
    ")",
    "![",
    "<",
    ">",
    "\n",
    "\n\n",
    "- ",
    "1. ",
    "# ",
    "    ",
    "> ",
    "|",
    "\"",
    "'",
    "&",
    "&#106;",
    "\\",
    "  \n",
    "---",
    "[^1]",
    "[ ] ",
    "<script>",
    "<img src=x onerror=alert(1)>",
    "<a href=x>",
    "</a>",
    "javascript:",
    "JaVaScRiPt:",
    "java\tscript:",
    "data:text/html,",
    "http://e/",
    "mailto:a@b",
    "//e",
];

fn markdownish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(PIECES).prop_map(str::to_owned),
        "[a-z ]{0,6}"
    ];
    prop::collection::vec(piece, 0..80).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn markdown_soup_renders_only_allowed_tags(markdown in markdownish()) {
        safe(&markdown);
    }

    #[test]
    fn any_text_renders_only_allowed_tags(markdown in any::<String>()) {
        safe(&markdown);
    }
}
