//! The safe Markdown subset, construct by construct: what each becomes in
//! blocks, in HTML and in plain text (hostile input: `safety_tests.rs`).

use super::safety_tests::{assert_safe_html, para, safe, text};
use super::*;

#[test]
fn paragraphs_join_soft_breaks_and_keep_hard_ones() {
    let (blocks, html) = safe("one\ntwo\n\nthree  \nfour\\\nfive");
    assert_eq!(
        blocks,
        [
            para(vec![text("one two")]),
            para(vec![
                text("three"),
                Inline::LineBreak,
                text("four"),
                Inline::LineBreak,
                text("five")
            ])
        ]
    );
    assert_eq!(html, "<p>one two</p><p>three<br>four<br>five</p>");
}

#[test]
fn headings_one_to_six() {
    let (blocks, html) = safe("# a\n## b\n### c\n#### d\n##### e\n###### f\n####### g");
    let levels: Vec<u8> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, .. } => Some(*level),
            _ => None,
        })
        .collect();
    assert_eq!(levels, [1, 2, 3, 4, 5, 6]);
    assert_eq!(blocks[6], para(vec![text("####### g")]));
    assert!(html.starts_with("<h1>a</h1><h2>b</h2>") && html.contains("<h6>f</h6>"));
}

#[test]
fn strong_emphasis_and_code_spans() {
    let (blocks, html) = safe("**bold** and _it_ and `a<b>` &amp; done");
    let expected = vec![
        Inline::Strong {
            inlines: vec![text("bold")],
        },
        text(" and "),
        Inline::Emphasis {
            inlines: vec![text("it")],
        },
        text(" and "),
        Inline::Code {
            text: "a<b>".into(),
        },
        text(" & done"),
    ];
    assert_eq!(blocks, [para(expected)]);
    assert_eq!(
        html,
        "<p><strong>bold</strong> and <em>it</em> and <code>a&lt;b&gt;</code> &amp; done</p>"
    );
}

#[test]
fn lists_nest_ordered_and_unordered() {
    let (blocks, html) = safe("- a\n- b\n  1. c\n  2. d\n");
    let inner = Block::List {
        ordered: true,
        items: vec![vec![para(vec![text("c")])], vec![para(vec![text("d")])]],
    };
    let outer = Block::List {
        ordered: false,
        items: vec![
            vec![para(vec![text("a")])],
            vec![para(vec![text("b")]), inner],
        ],
    };
    assert_eq!(blocks, [outer]);
    assert_eq!(
        html,
        "<ul><li>a</li><li><p>b</p><ol><li>c</li><li>d</li></ol></li></ul>"
    );
}

#[test]
fn fenced_and_indented_code_blocks_are_text() {
    let (blocks, html) = safe("```html\n<script>x()</script>\n```\n\n    indented <b>\n");
    assert_eq!(
        blocks,
        [
            Block::Code {
                text: "<script>x()</script>".into()
            },
            Block::Code {
                text: "indented <b>".into()
            }
        ]
    );
    assert_eq!(html, "<pre><code>&lt;script&gt;x()&lt;/script&gt;</code></pre><pre><code>indented &lt;b&gt;</code></pre>");
}

#[test]
fn web_and_mail_links_are_kept_and_only_web_ones_open_a_tab() {
    let (blocks, html) = safe(
        "[site](https://example.com/a?b=1&c=2) [mail](MAILTO:help@example.com) <http://x.example>",
    );
    let Block::Paragraph { inlines } = &blocks[0] else {
        panic!("{blocks:?}")
    };
    assert_eq!(
        inlines
            .iter()
            .filter(|i| matches!(i, Inline::Link { .. }))
            .count(),
        3
    );
    assert!(html.contains(r#"<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer nofollow" target="_blank">site</a>"#));
    assert!(html.contains(r#"<a href="MAILTO:help@example.com">mail</a>"#));
    assert!(html.contains(r#"<a href="http://x.example" rel="noopener noreferrer nofollow" target="_blank">http://x.example</a>"#));
}

#[test]
fn web_images_are_kept_others_leave_their_alt() {
    let (blocks, html) = safe("![a *logo*](https://e.example/l.png) ![chart](data:image/svg+xml,<svg/onload=alert(1)>) ![rel](/x.png)");
    let Block::Paragraph { inlines } = &blocks[0] else {
        panic!("{blocks:?}")
    };
    assert_eq!(
        inlines[0],
        Inline::Image {
            src: "https://e.example/l.png".into(),
            alt: "a logo".into()
        }
    );
    assert_eq!(inlines[1], text(" chart rel"));
    assert_eq!(
        html,
        r#"<p><img src="https://e.example/l.png" alt="a logo" loading="lazy"> chart rel</p>"#
    );
}

#[test]
fn raw_html_is_shown_as_text() {
    let (blocks, html) = safe("<div onclick=\"x()\">\nhi\n</div>\n\na <b>bold</b> word");
    assert_eq!(
        blocks,
        [
            para(vec![text("<div onclick=\"x()\"> hi </div>")]),
            para(vec![text("a <b>bold</b> word")])
        ]
    );
    assert_eq!(html, "<p>&lt;div onclick=&quot;x()&quot;&gt; hi &lt;/div&gt;</p><p>a &lt;b&gt;bold&lt;/b&gt; word</p>");
}

#[test]
fn quotes_tables_footnotes_tasks_and_rules_keep_only_their_text() {
    let markdown = "> quoted\n\n| h1 | h2 |\n|----|----|\n| c1 | c2 |\n\nnote[^n]\n\n[^n]: the note\n\n- [x] done\n\n---\n\n~~gone~~";
    let (blocks, _) = safe(markdown);
    let list = Block::List {
        ordered: false,
        items: vec![vec![para(vec![text("[x] done")])]],
    };
    let expected = vec![
        para(vec![text("quoted")]),
        para(vec![text("h1 | h2")]),
        para(vec![text("c1 | c2")]),
        para(vec![text("note[n]")]),
        para(vec![text("the note")]),
        list,
        para(vec![text("gone")]),
    ];
    assert_eq!(blocks, expected);
}

#[test]
fn urls_are_checked_after_what_browsers_ignore() {
    for good in [
        "https://e.example",
        " HTTP://e.example ",
        "http://e.example/a b",
        "mailto:a@b.example",
    ] {
        assert!(safe_url(good, LINK_SCHEMES).is_some(), "{good:?}");
    }
    assert_eq!(
        safe_url("http://e.example/a b\n", LINK_SCHEMES).as_deref(),
        Some("http://e.example/a%20b")
    );
    assert_eq!(safe_url("mailto:a@b.example", WEB_SCHEMES), None);
    for bad in [
        "java\tscript:x",
        "\u{1}javascript:x",
        " javascript:x",
        "java\nscript:x",
        "//e.example",
        "e.example",
        "",
        ":x",
        "ht\u{200b}tp://x",
    ] {
        assert_eq!(safe_url(bad, LINK_SCHEMES), None, "{bad:?}");
    }
}

#[test]
fn html_checks_blocks_from_elsewhere_again() {
    let blocks = [
        Block::Heading {
            level: 9,
            inlines: vec![text("deep")],
        },
        para(vec![
            Inline::Link {
                href: "javascript:alert(1)".into(),
                inlines: vec![text("a")],
            },
            Inline::Image {
                src: "data:x".into(),
                alt: "<b>".into(),
            },
        ]),
    ];
    let html = to_html(&blocks);
    assert_safe_html(&html);
    assert_eq!(html, "<h6>deep</h6><p>a&lt;b&gt;</p>");
}

#[test]
fn plain_text_holds_every_word_once() {
    let blocks = parse("# Title\n\nSee [the **docs**](https://d.example) ![diagram](https://d.example/x.png)\n\n- one\n- two\n\n```\ncode\n```");
    assert_eq!(
        plain_text(&blocks),
        "Title\nSee the docs diagram\none\ntwo\ncode"
    );
}
