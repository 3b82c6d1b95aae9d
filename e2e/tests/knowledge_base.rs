//! The knowledge base through the relay's sockets, on both stores:
//! visitors search and read only published articles of their own site and
//! their feedback is counted once; only admins write; a stale editor, a
//! taken slug and bad fields are refused with typed errors and change
//! nothing; every save keeps a revision.

use e2e::both_backends;
use e2e::client::Client;
use e2e::kb::{self, visitor_search};
use e2e::relay_harness::{Backend, TestRelay};
use shared::knowledge::{ArticleStatus, Feedback};
use shared::{AgentFrame, ErrorCode, ServerFrame, SiteId, VisitorFrame};

both_backends!(
    visitors_find_and_read_only_published_articles,
    only_admins_write_and_every_change_is_a_revision,
);

async fn visitors_find_and_read_only_published_articles(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let mut admin = kb::admin(relay.addr()).await?;
    let seeded = kb::seed(&mut admin, "demo").await?;
    let (en, he, draft) = (&seeded[0], &seeded[1], &seeded[5]);
    assert_eq!(draft.status, ArticleStatus::Draft);

    let mut visitor = Client::demo_visitor(relay.addr()).await?;
    visitor.visitor_hello(None, vec![]).await?;
    assert_eq!(
        visitor_search(&mut visitor, "refund", Some("en")).await?,
        [en.title.as_str()]
    );
    assert_eq!(
        visitor_search(&mut visitor, "החזר", Some("he")).await?,
        [he.title.as_str()]
    );
    // No language: the site's default (English).
    assert_eq!(
        visitor_search(&mut visitor, "refund", None).await?,
        [en.title.as_str()]
    );
    // A draft is never found, not even by its exact title.
    assert!(
        visitor_search(&mut visitor, "Unreleased pricing", Some("en"))
            .await?
            .is_empty()
    );

    // Reading: the body arrives parsed, with the published translations.
    visitor
        .send(&VisitorFrame::KbArticle {
            article: en.id.clone(),
        })
        .await?;
    let ServerFrame::KbArticle(view) = visitor
        .recv_until(|f| matches!(f, ServerFrame::KbArticle(_)))
        .await?
    else {
        unreachable!()
    };
    assert_eq!(view.title, en.title);
    assert!(!view.blocks.is_empty());
    let langs: Vec<&str> = view.translations.iter().map(|t| t.lang.as_str()).collect();
    assert_eq!(langs, ["fa", "he", "ru"]);
    visitor
        .send(&VisitorFrame::KbArticle {
            article: draft.id.clone(),
        })
        .await?;
    assert_eq!(visitor.recv_error().await?, ErrorCode::NotFound);

    // Feedback: counted once per article per connection; drafts refused.
    let recorded = |f: &ServerFrame| matches!(f, ServerFrame::FeedbackRecorded { .. });
    for _ in 0..2 {
        let answer = kb::feedback(&mut visitor, &en.id, Feedback::Answered).await?;
        assert!(recorded(&answer), "{answer:?}");
    }
    let answer = kb::feedback(&mut visitor, &he.id, Feedback::NeedHelp).await?;
    assert!(recorded(&answer), "{answer:?}");
    let answer = kb::feedback(&mut visitor, &draft.id, Feedback::Answered).await?;
    assert!(
        matches!(
            answer,
            ServerFrame::Error {
                code: ErrorCode::NotFound,
                ..
            }
        ),
        "{answer:?}"
    );
    let counts = relay.store().feedback_counts(&SiteId::from("demo")).await?;
    let summary: Vec<(String, Feedback, u64)> = counts
        .iter()
        .map(|c| (c.article.to_string(), c.feedback, c.count))
        .collect();
    let mut expected = vec![
        (en.id.to_string(), Feedback::Answered, 1),
        (he.id.to_string(), Feedback::NeedHelp, 1),
    ];
    expected.sort();
    let mut summary = summary;
    summary.sort();
    assert_eq!(summary, expected);

    // A hostile or oversized query is refused or finds nothing; the
    // connection goes on.
    assert!(visitor_search(&mut visitor, "title:x AND (\"*", Some("en"))
        .await?
        .is_empty());
    visitor
        .send(&VisitorFrame::KbSearch {
            query: "x".repeat(201),
            lang: None,
        })
        .await?;
    assert_eq!(visitor.recv_error().await?, ErrorCode::InvalidFrame);
    assert_eq!(
        visitor_search(&mut visitor, "refnud", Some("en")).await?,
        [en.title.as_str()]
    );
    Ok(())
}

async fn refused(agent: &mut Client, frame: AgentFrame) -> anyhow::Result<ErrorCode> {
    agent.send(&frame).await?;
    agent.recv_error().await
}

async fn only_admins_write_and_every_change_is_a_revision(backend: Backend) -> anyhow::Result<()> {
    let relay = TestRelay::start(backend).await?;
    let mut admin = kb::admin(relay.addr()).await?;
    let first = kb::save(
        &mut admin,
        kb::draft("demo", "en", "Opening hours", "We open at *nine*."),
    )
    .await?;
    assert_eq!((first.revision, first.slug.as_str()), (1, "opening-hours"));

    // An agent who is not an admin reads but does not write.
    admin
        .add_agent("kim@example.com", "Kim", "kim-password-1")
        .await?;
    let mut kim = Client::agent(relay.addr()).await?;
    kim.agent_sign_in("kim@example.com", "kim-password-1")
        .await?;
    let code = refused(
        &mut kim,
        AgentFrame::SaveArticle(Box::new(kb::draft("demo", "en", "Mine", "x"))),
    )
    .await?;
    assert_eq!(code, ErrorCode::Forbidden);
    let code = refused(
        &mut kim,
        AgentFrame::DeleteArticle {
            site: "demo".into(),
            article: first.id.clone(),
        },
    )
    .await?;
    assert_eq!(code, ErrorCode::Forbidden);

    // Two editors opened revision 1; the second save is refused.
    let mut edit = kb::draft("demo", "en", "Opening hours", "We open at *ten*.");
    edit.id = Some(first.id.clone());
    edit.base_revision = Some(1);
    let second = kb::save(&mut admin, edit.clone()).await?;
    assert_eq!(second.revision, 2);
    edit.body = "We open at noon.".into();
    assert_eq!(
        refused(&mut admin, AgentFrame::SaveArticle(Box::new(edit))).await?,
        ErrorCode::AlreadyExists
    );

    // Bad fields and a taken slug: typed refusals.
    let mut taken = kb::draft("demo", "en", "Other", "x");
    taken.slug = "opening-hours".into();
    let mut bad_lang = kb::draft("demo", "english", "Other", "x");
    bad_lang.slug = String::new();
    let empty_title = kb::draft("demo", "en", "  ", "x");
    let too_long = kb::draft(
        "demo",
        "en",
        "Long",
        &"a".repeat(shared::knowledge::MAX_BODY_BYTES + 1),
    );
    let mut bad_slug = kb::draft("demo", "en", "Other", "x");
    bad_slug.slug = "Not A Slug".into();
    let other_site = kb::draft("no-such-site", "en", "Other", "x");
    for (draft, code) in [
        (taken, ErrorCode::AlreadyExists),
        (bad_lang, ErrorCode::InvalidFrame),
        (empty_title, ErrorCode::InvalidFrame),
        (too_long, ErrorCode::InvalidFrame),
        (bad_slug, ErrorCode::InvalidFrame),
        (other_site, ErrorCode::NotFound),
    ] {
        assert_eq!(
            refused(&mut admin, AgentFrame::SaveArticle(Box::new(draft))).await?,
            code
        );
    }

    // Revisions: newest first, who and what changed.
    admin
        .send(&AgentFrame::ArticleRevisions {
            site: "demo".into(),
            article: first.id.clone(),
        })
        .await?;
    let ServerFrame::ArticleRevisions { revisions, .. } = admin
        .recv_until(|f| matches!(f, ServerFrame::ArticleRevisions { .. }))
        .await?
    else {
        unreachable!()
    };
    let numbers: Vec<u32> = revisions.iter().map(|r| r.revision).collect();
    assert_eq!(numbers, [2, 1]);
    assert_eq!(revisions[0].changed, ["body"]);
    assert_eq!(revisions[0].body, "We open at *ten*.");
    assert_eq!(revisions[1].changed.len(), 5);
    let stored = relay
        .store()
        .article(&"demo".into(), &first.id)
        .await?
        .expect("stored");
    assert_eq!(
        (stored.revision, stored.body.as_str()),
        (2, "We open at *ten*.")
    );

    // Delete: gone for readers, and the slug is free again.
    admin
        .send(&AgentFrame::DeleteArticle {
            site: "demo".into(),
            article: first.id.clone(),
        })
        .await?;
    admin
        .recv_until(|f| matches!(f, ServerFrame::ArticleDeleted { .. }))
        .await?;
    let again = kb::save(&mut admin, kb::draft("demo", "en", "Opening hours", "New.")).await?;
    assert_eq!(again.slug, "opening-hours");
    let code = refused(
        &mut admin,
        AgentFrame::KbArticle {
            site: "demo".into(),
            article: first.id,
        },
    )
    .await?;
    assert_eq!(code, ErrorCode::NotFound);
    Ok(())
}
