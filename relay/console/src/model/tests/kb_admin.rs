//! The knowledge base panel: only admins reach it; the editor carries the
//! revision it started from and tells a conflicting save; translations,
//! previews, deleting behind a confirm step.

use shared::knowledge::{Article, ArticleStatus, Block, Category, Inline};
use shared::{AgentFrame, ArticleId, ErrorCode, ServerFrame, SiteId};

use super::*;
use crate::model::{ArticleFields, EditorNote, Fetch, Note};

fn article(id: &str, group: &str, lang: &str, revision: u32) -> Article {
    Article {
        id: id.into(),
        site: "demo".into(),
        group: group.into(),
        lang: lang.into(),
        slug: format!("slug-{id}"),
        title: format!("Title {id}"),
        body: "Body".into(),
        category: Some("cat1".into()),
        status: ArticleStatus::Published,
        revision,
        updated_at_ms: 1,
        updated_by: "a_me".into(),
    }
}

fn listed(m: &mut Model, articles: Vec<Article>) {
    let demo = SiteId::from("demo");
    assert_eq!(
        m.kb_pick_site(&demo),
        Some(AgentFrame::ListArticles { site: demo.clone() })
    );
    assert_eq!(m.kb.admin.list, Fetch::Pending);
    m.apply(ServerFrame::Articles {
        site: demo.clone(),
        articles,
        categories: vec![Category {
            id: "cat1".into(),
            site: demo,
            name: "Billing".into(),
            position: 1,
        }],
    });
}

fn fields(title: &str, lang: &str) -> ArticleFields {
    ArticleFields {
        title: title.into(),
        slug: String::new(),
        lang: lang.into(),
        category: None,
        status: ArticleStatus::Published,
        body: "**bold**".into(),
    }
}

fn draft_of(frame: Option<AgentFrame>) -> shared::knowledge::ArticleDraft {
    match frame {
        Some(AgentFrame::SaveArticle(draft)) => *draft,
        other => panic!("expected save_article, got {other:?}"),
    }
}

#[test]
fn the_editor_saves_from_the_revision_it_opened_and_goes_on_from_the_new_one() {
    let mut m = signed_in(vec![]);
    listed(&mut m, vec![article("a1", "a1", "en", 3)]);
    let a1 = ArticleId::from("a1");
    m.kb_edit(&a1);
    let draft = draft_of(m.kb_save(fields("New title", "en")));
    assert_eq!((draft.id, draft.base_revision), (Some(a1.clone()), Some(3)));
    assert_eq!(m.kb_save(fields("again", "en")), None, "one save at a time");
    m.apply(ServerFrame::ArticleSaved(Box::new(Article {
        title: "New title".into(),
        ..article("a1", "a1", "en", 4)
    })));
    let editor = m.kb.admin.editor.clone().unwrap();
    assert_eq!(
        (editor.base_revision, editor.note, editor.saving),
        (Some(4), Some(EditorNote::Saved(4)), false)
    );
    assert_eq!(m.kb_groups()[0][0].revision, 4);
    let next = draft_of(m.kb_save(fields("Newer", "en")));
    assert_eq!(next.base_revision, Some(4));
}

#[test]
fn a_save_over_someone_elses_change_is_told_and_keeps_the_editor_open() {
    let mut m = signed_in(vec![]);
    listed(&mut m, vec![article("a1", "a1", "en", 3)]);
    m.kb_edit(&"a1".into());
    m.kb_save(fields("Mine", "en")).unwrap();
    m.apply(ServerFrame::error(
        ErrorCode::AlreadyExists,
        "changed since",
    ));
    let editor = m.kb.admin.editor.clone().unwrap();
    assert_eq!(
        (editor.note, editor.saving, editor.base_revision),
        (Some(EditorNote::Conflict), false, Some(3))
    );
    assert_eq!(m.banner, None);
    m.kb_save(fields("Mine", "en")).unwrap();
    m.apply(ServerFrame::error(ErrorCode::InvalidFrame, "bad lang"));
    assert_eq!(
        m.kb.admin.editor.as_ref().and_then(|e| e.note),
        Some(EditorNote::Failed(ErrorCode::InvalidFrame))
    );
}

#[test]
fn new_articles_and_translations_start_in_the_sites_languages() {
    let mut m = signed_in(vec![]);
    listed(&mut m, vec![article("a1", "a1", "en", 1)]);
    m.kb_new();
    assert_eq!(
        m.kb.admin.editor.as_ref().map(|e| e.fields.lang.as_str()),
        Some("en")
    );
    let draft = draft_of(m.kb_save(fields("Fresh", "en")));
    assert_eq!(
        (draft.id, draft.base_revision, draft.translation_of),
        (None, None, None)
    );
    m.apply(ServerFrame::ArticleSaved(Box::new(article(
        "a2", "a2", "en", 1,
    ))));
    assert_eq!(
        m.kb.admin.editor.as_ref().and_then(|e| e.id.clone()),
        Some("a2".into())
    );
    assert_eq!(m.kb_groups().len(), 2);

    m.kb_translate(&"a1".into());
    let editor = m.kb.admin.editor.clone().unwrap();
    assert_eq!(
        (
            editor.fields.lang.as_str(),
            editor.fields.title.as_str(),
            editor.fields.status
        ),
        ("he", "Title a1", ArticleStatus::Draft)
    );
    let draft = draft_of(m.kb_save(fields("כותרת", "he")));
    assert_eq!(draft.translation_of, Some("a1".into()));
    m.apply(ServerFrame::ArticleSaved(Box::new(article(
        "a3", "a1", "he", 1,
    ))));
    let groups: Vec<Vec<(String, String)>> = m
        .kb_groups()
        .into_iter()
        .map(|g| g.into_iter().map(|r| (r.id.to_string(), r.lang)).collect())
        .collect();
    assert_eq!(
        groups,
        [
            vec![("a1".into(), "en".into()), ("a3".into(), "he".into())],
            vec![("a2".into(), "en".into())]
        ]
    );
    assert_eq!(m.kb_groups()[0][0].category.as_deref(), Some("Billing"));
}

#[test]
fn a_preview_is_the_relays_blocks_in_the_articles_direction() {
    let mut m = signed_in(vec![]);
    listed(&mut m, vec![]);
    m.kb_new();
    assert_eq!(
        m.kb_preview("**x**", "he"),
        Some(AgentFrame::PreviewArticle {
            body: "**x**".into()
        })
    );
    let blocks = vec![Block::Paragraph {
        inlines: vec![Inline::Strong {
            inlines: vec![Inline::Text { text: "x".into() }],
        }],
    }];
    m.apply(ServerFrame::ArticlePreview {
        blocks: blocks.clone(),
    });
    let editor = m.kb.admin.editor.clone().unwrap();
    assert_eq!(
        (editor.blocks, editor.preview_lang.as_str(), editor.preview),
        (Some(blocks), "he", Fetch::Settled)
    );
}

#[test]
fn deleting_asks_first_and_then_leaves_the_list() {
    let mut m = signed_in(vec![]);
    listed(&mut m, vec![article("a1", "a1", "en", 1)]);
    let a1 = ArticleId::from("a1");
    m.kb_edit(&a1);
    assert_eq!(m.kb_delete(&a1), None, "not confirmed");
    m.kb_ask_delete(&a1);
    m.kb_cancel_delete();
    assert_eq!(m.kb_delete(&a1), None);
    m.kb_ask_delete(&a1);
    assert!(m.kb_delete(&a1).is_some());
    m.apply(ServerFrame::ArticleDeleted { article: a1 });
    assert!(m.kb_groups().is_empty());
    assert_eq!(m.kb.admin.editor, None);
    assert_eq!(
        m.kb.admin.note,
        Some(Note::ArticleDeleted("Title a1".into()))
    );
}

#[test]
fn only_admins_reach_the_knowledge_base() {
    let mut m = signed_in(vec![]);
    assert!(m.can_edit_kb());
    if let Some(me) = m.me.as_mut() {
        me.admin = false;
    }
    let demo = SiteId::from("demo");
    assert!(!m.can_edit_kb());
    assert_eq!(m.kb_pick_site(&demo), None);
    m.kb.admin.site = Some(demo.clone());
    m.kb.admin.articles = vec![article("a1", "a1", "en", 1)];
    m.kb_new();
    m.kb_edit(&"a1".into());
    assert_eq!(m.kb.admin.editor, None);
    assert_eq!(m.kb_save(fields("x", "en")), None);
    m.kb_ask_delete(&"a1".into());
    assert_eq!(m.kb_delete(&"a1".into()), None);
    assert_eq!(m.kb_save_category(None, "Billing", 1), None);
    // Canned replies are every agent's (their own ones).
    assert!(m.load_canned(&demo).is_some());
}
