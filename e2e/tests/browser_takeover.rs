//! Identity pre-claim takeover in a real browser, in both orders: an
//! attacker types a customer's email in the pre-chat form, and the
//! customer proves that email with the site's signed identity
//! (`Switchboard.identify`), either after him or before him. Whoever came
//! second, each widget, reopened once both have chatted, shows its own
//! chat and nothing of the other's, and the email ends on the customer's
//! verified record. `takeover.rs` proves the same over bare sockets; this
//! proves it through what the widget does with the relay's answers
//! (welcome, identify, the form, replays). Both orders share one stage,
//! each with its own customer, to keep the browser time down.

use anyhow::Context;
use e2e::browser_tests;
use e2e::stage::Stage;
use e2e::ui;
use fantoccini::{Client, Locator};
use relay::identity::jwt::sign;
use relay::site_admin::identity_secret;
use relay::store::Conversation;
use serde_json::json;
use shared::contacts::IdentityKind;
use shared::SiteId;

browser_tests!(a_typed_email_never_opens_the_customers_chats_in_either_order);

/// The customer the site vouches for.
struct Customer {
    sub: &'static str,
    email: &'static str,
    name: &'static str,
}

/// Someone chatting in one browser: what they typed (to look for in the
/// other's widget and conversation) and their conversation.
struct Person<'a> {
    client: &'a Client,
    /// Unique across the scenario, so one person's marker is never
    /// mistaken for another's.
    label: &'static str,
    said: Vec<String>,
    conversation: Conversation,
}

fn demo() -> SiteId {
    "demo".into()
}

async fn a_typed_email_never_opens_the_customers_chats_in_either_order(
    stage: &Stage,
) -> anyhow::Result<()> {
    let store = stage.relay.store();
    let mut site = store.site(&demo()).await?.expect("demo site");
    // The form is where the attacker types her email.
    site.prechat_form = true;
    store.put_site(&site).await?;
    attacker_types_her_email_first(stage).await?;
    customer_proves_her_email_first(stage).await
}

async fn attacker_types_her_email_first(stage: &Stage) -> anyhow::Result<()> {
    let vera = Customer {
        sub: "user-vera",
        email: "vera@example.com",
        name: "Vera",
    };
    let mut his = attacker_chats(stage, "a-his", vera.email).await?;
    let mut hers = customer_chats(stage, "a-hers", &vera).await?;
    let token = signed(stage, &vera).await?;
    reopens_and_sees_only_own(stage, &mut hers, &his, Some(&token)).await?;
    reopens_and_sees_only_own(stage, &mut his, &hers, None).await?;
    the_email_ended_on_her_verified_record(stage, &vera, &his, &hers).await
}

async fn customer_proves_her_email_first(stage: &Stage) -> anyhow::Result<()> {
    let wanda = Customer {
        sub: "user-wanda",
        email: "wanda@example.com",
        name: "Wanda",
    };
    let mut hers = customer_chats(stage, "b-hers", &wanda).await?;
    let mut his = attacker_chats(stage, "b-his", wanda.email).await?;
    reopens_and_sees_only_own(stage, &mut his, &hers, None).await?;
    let token = signed(stage, &wanda).await?;
    reopens_and_sees_only_own(stage, &mut hers, &his, Some(&token)).await?;
    the_email_ended_on_her_verified_record(stage, &wanda, &his, &hers).await
}

/// A short-lived token for `customer`, signed with the demo site's secret,
/// as the host page's server would issue it.
async fn signed(stage: &Stage, customer: &Customer) -> anyhow::Result<String> {
    let secret = identity_secret(stage.relay.store().as_ref(), &demo(), false).await?;
    let exp = relay::now_ms() / 1000 + 600;
    Ok(sign(
        &json!({"sub": customer.sub, "email": customer.email, "name": customer.name, "exp": exp}),
        secret.as_bytes(),
    ))
}

/// Makes `client` a newcomer: the widget's visitor token (and embed.js's
/// returning-visitor mark) live in the relay origin's localStorage, and
/// the sessions are shared by both orders. Cleared from a page without
/// the widget, so no live widget writes its token back.
async fn newcomer(client: &Client, base: &str) -> anyhow::Result<()> {
    client.goto(&format!("{base}/healthz")).await?;
    client
        .execute("localStorage.clear(); return true;", vec![])
        .await?;
    Ok(())
}

/// Sends a first message, which waits behind the pre-chat form, and
/// answers the form with `name` and `email`.
async fn first_message_through_the_form(
    client: &Client,
    text: &str,
    name: &str,
    email: &str,
) -> anyhow::Result<()> {
    ui::visitor_sends(client, text).await?;
    // Without history the form must come; had identify handed this visitor
    // someone else's chats, it would not, and those chats are the evidence.
    if let Err(e) = ui::type_into(client, "Name (optional)", name).await {
        let shown = ui::wait_text(client, "[role='log']", |_| true).await?;
        return Err(e.context(format!(
            "the pre-chat form never showed for a first contact; the widget shows:\n{shown}"
        )));
    }
    ui::type_into(client, "Email", email).await?;
    ui::click(client, "Start chat").await?;
    stored(client, text).await
}

/// Waits until the widget shows `text` as stored by the relay (no longer
/// "sending").
async fn stored(client: &Client, text: &str) -> anyhow::Result<()> {
    let xpath = format!(
        "//*[@role='log']//div[contains(@class,'sb-visitor') and not(contains(@class,'sb-pending'))]\
         /p[contains(@class,'sb-text') and normalize-space()='{text}']"
    );
    client
        .wait()
        .at_most(ui::UI_WAIT)
        .for_element(Locator::XPath(&xpath))
        .await
        .with_context(|| format!("the widget never showed {text:?} as stored"))?;
    Ok(())
}

/// The stored conversation whose messages include `text` (none is taken
/// by an agent here, so all are waiting).
async fn conversation_saying(stage: &Stage, text: &str) -> anyhow::Result<Conversation> {
    let store = stage.relay.store();
    for conversation in store.waiting().await? {
        let messages = store.messages_after(&conversation.id, 0, 100).await?;
        if messages.iter().any(|m| m.text == text) {
            return Ok(conversation);
        }
    }
    anyhow::bail!("no waiting conversation holds {text:?}")
}

/// The attacker (the phone-sized browser), a newcomer, opens the chat and
/// types the customer's email in the pre-chat form.
async fn attacker_chats<'a>(
    stage: &'a Stage,
    label: &'static str,
    her_email: &str,
) -> anyhow::Result<Person<'a>> {
    let client = &stage.visitor.client;
    let base = stage.base();
    newcomer(client, &base).await?;
    ui::visitor_opens_chat(client, &base, None).await?;
    let text = format!("{label}: please resend my last invoice");
    first_message_through_the_form(client, &text, "Not Really Her", her_email).await?;
    Ok(Person {
        client,
        label,
        conversation: conversation_saying(stage, &text).await?,
        said: vec![text],
    })
}

/// The customer (the desktop browser), a newcomer the host page
/// identifies, chats; like any first contact she answers the form, with
/// her own email.
async fn customer_chats<'a>(
    stage: &'a Stage,
    label: &'static str,
    customer: &Customer,
) -> anyhow::Result<Person<'a>> {
    let client = &stage.agent.client;
    let base = stage.base();
    newcomer(client, &base).await?;
    ui::identified_visitor(client, &base, &signed(stage, customer).await?).await?;
    let text = format!("{label}: my card ends in 4242");
    first_message_through_the_form(client, &text, customer.name, customer.email).await?;
    Ok(Person {
        client,
        label,
        conversation: conversation_saying(stage, &text).await?,
        said: vec![text],
    })
}

/// Reopens `/demo` in `me`'s browser (identified again with `token`: the
/// widget keeps no identity across page loads) and checks that it shows
/// `me`'s chat and nothing of `other`'s.
///
/// "Nothing" is only worth checking once the widget has drawn all it was
/// going to: the relay answers one socket's frames in order, so a message
/// sent and shown stored comes back after the answers to everything the
/// widget sent before it. Two such markers: the first follows the
/// welcome's replays and identify's answer (whose conversations, had it
/// given any, are drawn at once with their case codes), the second
/// follows the replays that answer would have asked for.
async fn reopens_and_sees_only_own(
    stage: &Stage,
    me: &mut Person<'_>,
    other: &Person<'_>,
    token: Option<&str>,
) -> anyhow::Result<()> {
    let base = stage.base();
    match token {
        Some(token) => ui::identified_visitor(me.client, &base, token).await?,
        None => ui::visitor_opens_chat(me.client, &base, None).await?,
    }
    ui::visitor_sees(me.client, &me.said[0]).await?;
    for n in 1..=2 {
        let marker = format!("{} is still here {n}", me.label);
        ui::visitor_sends(me.client, &marker).await?;
        stored(me.client, &marker).await?;
        me.said.push(marker);
    }
    let own_code = me.conversation.case_code.clone().context("a case code")?;
    let shown = ui::visitor_sees(me.client, &own_code).await?;
    let other_code = other
        .conversation
        .case_code
        .clone()
        .context("a case code")?;
    for text in other.said.iter().chain([&other_code]) {
        anyhow::ensure!(
            !shown.contains(text.as_str()),
            "{}'s widget shows {text:?} of {}:\n{shown}",
            me.label,
            other.label
        );
    }
    Ok(())
}

/// From the store: the email is held, verified, by the record of the
/// customer's browser visitor (the one her signed `sub` names), not by
/// the attacker's, and neither conversation holds the other's words.
async fn the_email_ended_on_her_verified_record(
    stage: &Stage,
    customer: &Customer,
    his: &Person<'_>,
    hers: &Person<'_>,
) -> anyhow::Result<()> {
    let store = stage.relay.store();
    let her_contact = store
        .visitor_contact(&hers.conversation.visitor)
        .await?
        .context("her visitor has a record")?;
    let by_sub = store
        .contact_by_identity(&demo(), IdentityKind::External, customer.sub)
        .await?;
    assert_eq!(
        by_sub.as_ref(),
        Some(&her_contact),
        "her signed id's record"
    );
    let holder = store
        .contact_by_identity(&demo(), IdentityKind::Email, customer.email)
        .await?;
    assert_eq!(
        holder.as_ref(),
        Some(&her_contact),
        "{} ended on her record",
        customer.email
    );
    let her_record = store.contact(&her_contact).await?.context("her record")?;
    assert!(
        her_record
            .identities
            .iter()
            .any(|i| i.kind == IdentityKind::Email && i.value == customer.email && i.verified),
        "her record holds the email verified: {her_record:?}"
    );
    let his_contact = store
        .visitor_contact(&his.conversation.visitor)
        .await?
        .context("his visitor has a record")?;
    assert_ne!(his_contact, her_contact, "he is not on her record");
    let his_record = store.contact(&his_contact).await?.context("his record")?;
    assert!(
        his_record
            .identities
            .iter()
            .all(|i| !(i.kind == IdentityKind::Email && i.value == customer.email)),
        "his record keeps no copy of her email: {his_record:?}"
    );
    for (me, other) in [(his, hers), (hers, his)] {
        let messages = store.messages_after(&me.conversation.id, 0, 100).await?;
        assert!(
            messages.iter().all(|m| !other.said.contains(&m.text)),
            "{}'s conversation holds words of {}: {messages:?}",
            me.label,
            other.label
        );
    }
    Ok(())
}
