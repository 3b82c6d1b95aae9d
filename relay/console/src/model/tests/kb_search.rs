//! Searching the knowledge base from a composer: only the latest query's
//! answer shows, and a hit goes in as a help center link or as the
//! article's plain text.

use shared::knowledge::{ArticleView, Block, Inline, SearchHit, Span};
use shared::{AgentFrame, ConversationId, ServerFrame};

use super::*;
use crate::model::plain::plain_text;
use crate::model::Fetch;

fn hit(id: &str) -> SearchHit {
    SearchHit {
        article: id.into(),
        lang: "he".into(),
        slug: "החזר".into(),
        title: "Refunds".into(),
        snippet: vec![Span {
            text: "refund".into(),
            hit: true,
        }],
    }
}

#[test]
fn the_composers_search_inserts_a_link_or_the_articles_text() {
    let c1 = ConversationId::from("c1");
    let mut m = signed_in(vec![mine("c1", 0)]);
    m.kb_open(&c1);
    assert_eq!(
        m.kb_search(" refund "),
        Some(AgentFrame::KbSearch {
            site: "demo".into(),
            query: "refund".into(),
            lang: None
        })
    );
    // An answer to an earlier query is not shown.
    m.kb_search("refunds").unwrap();
    m.apply(ServerFrame::KbResults {
        query: "refund".into(),
        hits: vec![hit("old")],
    });
    m.apply(ServerFrame::KbResults {
        query: "refunds".into(),
        hits: vec![hit("a1")],
    });
    let search = m.kb.search.clone().unwrap();
    assert_eq!((search.hits.len(), search.fetch), (1, Fetch::Settled));

    m.kb_insert_link("https://chat.example.com/", &"a1".into());
    let insert = m.kb.insert.clone().unwrap();
    assert_eq!(
        (insert.conversation.clone(), insert.text.as_str()),
        (c1.clone(), "https://chat.example.com/help/demo/he/החזר")
    );
    m.inserted(insert.stamp);
    assert_eq!(m.kb.insert, None);

    assert_eq!(
        m.kb_insert_text(&"a1".into()),
        Some(AgentFrame::KbArticle {
            site: "demo".into(),
            article: "a1".into()
        })
    );
    m.apply(ServerFrame::KbArticle(Box::new(ArticleView {
        id: "a1".into(),
        site: "demo".into(),
        lang: "he".into(),
        slug: "x".into(),
        title: "Refunds".into(),
        category: None,
        blocks: vec![Block::Paragraph {
            inlines: vec![Inline::Text {
                text: "Ask within 30 days.".into(),
            }],
        }],
        translations: vec![],
        updated_at_ms: 1,
    })));
    assert_eq!(
        m.kb.insert.as_ref().map(|i| i.text.as_str()),
        Some("Ask within 30 days.")
    );
}

#[test]
fn an_articles_plain_text_keeps_its_words_lists_and_link_addresses() {
    let text = |t: &str| Inline::Text { text: t.into() };
    let blocks = vec![
        Block::Heading {
            level: 1,
            inlines: vec![text("Refunds")],
        },
        Block::Paragraph {
            inlines: vec![
                text("Ask for a "),
                Inline::Strong {
                    inlines: vec![text("refund")],
                },
                Inline::LineBreak,
                Inline::Link {
                    href: "https://example.com/policy".into(),
                    inlines: vec![text("our policy")],
                },
            ],
        },
        Block::List {
            ordered: true,
            items: vec![
                vec![Block::Paragraph {
                    inlines: vec![text("Open your order")],
                }],
                vec![
                    Block::Paragraph {
                        inlines: vec![text("Press it")],
                    },
                    Block::List {
                        ordered: false,
                        items: vec![vec![Block::Paragraph {
                            inlines: vec![Inline::Code {
                                text: "Refund".into(),
                            }],
                        }]],
                    },
                ],
            ],
        },
        Block::Code {
            text: "<script>x</script>\n".into(),
        },
    ];
    assert_eq!(
        plain_text(&blocks),
        "Refunds\n\nAsk for a refund\nour policy (https://example.com/policy)\n\n\
         1. Open your order\n2. Press it\n  - Refund\n\n<script>x</script>"
    );
}
