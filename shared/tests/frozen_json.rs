//! Freezes the wire format: each frame's exact JSON. A failing test here
//! means a protocol change; bump `PROTOCOL_VERSION` or keep compatibility.

// Test code: an unwrap says "this must hold" (the lint is for the product).
#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};
use shared::canned::{CannedReply, Note};
use shared::frames::SiteBrief;
use shared::knowledge::{
    Article, ArticleDraft, ArticleStatus, ArticleView, Block, Category, Feedback, Inline, Revision,
    SearchHit, Span, Translation,
};
use shared::*;

fn frozen<T>(frame: &T, expected: Value)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let encoded = serde_json::to_value(frame).unwrap();
    assert_eq!(encoded, expected, "encoding changed");
    let decoded: T = serde_json::from_value(expected).unwrap();
    assert_eq!(&decoded, frame, "decoding changed");
}

fn conv() -> ConversationId {
    "c_1".into()
}

fn summary() -> ConversationSummary {
    ConversationSummary {
        id: conv(),
        site: "demo".into(),
        visitor: "v_1".into(),
        status: ConversationStatus::Assigned,
        agent: Some("a_1".into()),
        agent_name: Some("Dana".into()),
        last_seq: 4,
        created_at_ms: 1_700_000_000_000,
        case_code: Some("CASE-1001".into()),
        route: routing::Route::default(),
        csat: None,
    }
}

fn summary_json() -> Value {
    json!({"id":"c_1","site":"demo","visitor":"v_1","status":"assigned","agent":"a_1","agent_name":"Dana","last_seq":4,"created_at_ms":1_700_000_000_000u64,"case_code":"CASE-1001"})
}

#[test]
fn visitor_frames() {
    let cases = vec![
        (
            VisitorFrame::Hello {
                protocol: 1,
                site: "demo".into(),
                visitor_token: Some("tok".into()),
                resume: vec![ResumePoint {
                    conversation: conv(),
                    after_seq: 3,
                }],
            },
            json!({"type":"hello","protocol":1,"site":"demo","visitor_token":"tok","resume":[{"conversation":"c_1","after_seq":3}]}),
        ),
        (
            VisitorFrame::Hello {
                protocol: 1,
                site: "demo".into(),
                visitor_token: None,
                resume: vec![],
            },
            json!({"type":"hello","protocol":1,"site":"demo"}),
        ),
        (VisitorFrame::start(None), json!({"type":"start"})),
        (
            VisitorFrame::Start {
                details: Some(card::PrechatDetails {
                    name: Some("Ada".into()),
                    email: Some("ada@example.com".into()),
                    phone: None,
                }),
                topic: Some("refunds".into()),
                language: Some("fa-IR".into()),
                page_url: Some("https://shop.test/returns".into()),
            },
            json!({"type":"start","details":{"name":"Ada","email":"ada@example.com"},
                   "topic":"refunds","language":"fa-IR","page_url":"https://shop.test/returns"}),
        ),
        (
            VisitorFrame::OfflineMessage {
                details: card::PrechatDetails {
                    name: None,
                    email: Some("sara@example.com".into()),
                    phone: None,
                },
                text: "سلام".into(),
                topic: None,
                language: Some("fa".into()),
                page_url: None,
            },
            json!({"type":"offline_message","details":{"email":"sara@example.com"},"text":"سلام","language":"fa"}),
        ),
        (
            VisitorFrame::Send {
                conversation: conv(),
                client_msg_id: "m1".into(),
                text: "hi".into(),
            },
            json!({"type":"send","conversation":"c_1","client_msg_id":"m1","text":"hi"}),
        ),
        (
            VisitorFrame::Typing {
                conversation: conv(),
                typing: true,
            },
            json!({"type":"typing","conversation":"c_1","typing":true}),
        ),
        (
            VisitorFrame::Close {
                conversation: conv(),
            },
            json!({"type":"close","conversation":"c_1"}),
        ),
        (
            VisitorFrame::Rate {
                conversation: conv(),
                rating: 4,
                comment: Some("Quick, thanks".into()),
            },
            json!({"type":"rate","conversation":"c_1","rating":4,"comment":"Quick, thanks"}),
        ),
        (
            VisitorFrame::Resume(ResumePoint {
                conversation: conv(),
                after_seq: 7,
            }),
            json!({"type":"resume","conversation":"c_1","after_seq":7}),
        ),
        (
            VisitorFrame::Identify {
                token: "h.p.s".into(),
            },
            json!({"type":"identify","token":"h.p.s"}),
        ),
        (
            VisitorFrame::KbSearch {
                query: "reset password".into(),
                lang: Some("he".into()),
            },
            json!({"type":"kb_search","query":"reset password","lang":"he"}),
        ),
        (
            VisitorFrame::KbSearch {
                query: "refund".into(),
                lang: None,
            },
            json!({"type":"kb_search","query":"refund"}),
        ),
        (
            VisitorFrame::KbArticle {
                article: "ar_1".into(),
            },
            json!({"type":"kb_article","article":"ar_1"}),
        ),
        (
            VisitorFrame::KbFeedback {
                article: "ar_1".into(),
                feedback: Feedback::NeedHelp,
            },
            json!({"type":"kb_feedback","article":"ar_1","feedback":"need_help"}),
        ),
    ];
    let mut types: Vec<String> = Vec::new();
    for (frame, expected) in cases {
        types.push(expected["type"].as_str().unwrap().to_owned());
        frozen(&frame, expected);
    }
    types.dedup();
    assert_eq!(
        types,
        VisitorFrame::TYPES,
        "TYPES lists every visitor frame"
    );
}

#[test]
fn agent_frames() {
    let cases = vec![
        (
            AgentFrame::Hello {
                protocol: 1,
                auth: AgentAuth::Password {
                    email: "a@b.c".into(),
                    password: "pw".into(),
                },
                resume: vec![],
            },
            json!({"type":"hello","protocol":1,"auth":{"method":"password","email":"a@b.c","password":"pw"}}),
        ),
        (
            AgentFrame::Hello {
                protocol: 1,
                auth: AgentAuth::Session { token: "t".into() },
                resume: vec![],
            },
            json!({"type":"hello","protocol":1,"auth":{"method":"session","token":"t"}}),
        ),
        (
            AgentFrame::SetPresence {
                presence: Presence::Away,
            },
            json!({"type":"set_presence","presence":"away"}),
        ),
        (
            AgentFrame::Send {
                conversation: conv(),
                client_msg_id: "m".into(),
                text: "yo".into(),
            },
            json!({"type":"send","conversation":"c_1","client_msg_id":"m","text":"yo"}),
        ),
        (
            AgentFrame::Typing {
                conversation: conv(),
                typing: false,
            },
            json!({"type":"typing","conversation":"c_1","typing":false}),
        ),
        (
            AgentFrame::Transfer {
                conversation: conv(),
                to_agent: "a_2".into(),
            },
            json!({"type":"transfer","conversation":"c_1","to_agent":"a_2"}),
        ),
        (
            AgentFrame::Close {
                conversation: conv(),
            },
            json!({"type":"close","conversation":"c_1"}),
        ),
        (
            AgentFrame::Reopen {
                conversation: conv(),
            },
            json!({"type":"reopen","conversation":"c_1"}),
        ),
        (
            AgentFrame::Resume(ResumePoint {
                conversation: conv(),
                after_seq: 0,
            }),
            json!({"type":"resume","conversation":"c_1","after_seq":0}),
        ),
        (AgentFrame::ListAgents, json!({"type":"list_agents"})),
        (
            AgentFrame::AddAgent {
                email: "d@e.f".into(),
                name: "D".into(),
                password: "pw12345678".into(),
                max_concurrent: 3,
                admin: false,
            },
            json!({"type":"add_agent","email":"d@e.f","name":"D","password":"pw12345678","max_concurrent":3,"admin":false}),
        ),
        (AgentFrame::SignOut, json!({"type":"sign_out"})),
        (
            AgentFrame::SignOutEverywhere,
            json!({"type":"sign_out_everywhere"}),
        ),
        (
            AgentFrame::ChangePassword {
                current: "old-password".into(),
                new: "new-password".into(),
            },
            json!({"type":"change_password","current":"old-password","new":"new-password"}),
        ),
        (
            AgentFrame::SetAgentDisabled {
                agent: "a_2".into(),
                disabled: true,
            },
            json!({"type":"set_agent_disabled","agent":"a_2","disabled":true}),
        ),
        (
            AgentFrame::Card {
                conversation: conv(),
            },
            json!({"type":"card","conversation":"c_1"}),
        ),
        (
            AgentFrame::Contact {
                contact: "ct_1".into(),
            },
            json!({"type":"contact","contact":"ct_1"}),
        ),
        (
            AgentFrame::Timeline {
                contact: "ct_1".into(),
                before: card::TimelineCursor {
                    at_ms: 5,
                    id: "ti_1".into(),
                },
            },
            json!({"type":"timeline","contact":"ct_1","before":{"at_ms":5,"id":"ti_1"}}),
        ),
        (
            AgentFrame::SearchContacts {
                query: "ada".into(),
            },
            json!({"type":"search_contacts","query":"ada"}),
        ),
        (
            AgentFrame::DecideMerge {
                proposal: "mp_1".into(),
                decision: contacts::MergeDecision::Accept,
            },
            json!({"type":"decide_merge","proposal":"mp_1","decision":"accept"}),
        ),
        (
            AgentFrame::ExportContact {
                contact: "ct_1".into(),
            },
            json!({"type":"export_contact","contact":"ct_1"}),
        ),
        (
            AgentFrame::EraseContact {
                contact: "ct_1".into(),
            },
            json!({"type":"erase_contact","contact":"ct_1"}),
        ),
        (
            AgentFrame::KbSearch {
                site: "demo".into(),
                query: "refund".into(),
                lang: Some("fa-IR".into()),
            },
            json!({"type":"kb_search","site":"demo","query":"refund","lang":"fa-IR"}),
        ),
        (
            AgentFrame::KbArticle {
                site: "demo".into(),
                article: "ar_1".into(),
            },
            json!({"type":"kb_article","site":"demo","article":"ar_1"}),
        ),
        (
            AgentFrame::ListArticles {
                site: "demo".into(),
            },
            json!({"type":"list_articles","site":"demo"}),
        ),
        (
            AgentFrame::SaveArticle(Box::new(ArticleDraft {
                site: "demo".into(),
                id: None,
                translation_of: Some("ar_1".into()),
                lang: "he".into(),
                slug: String::new(),
                title: "Refunds".into(),
                body: "# Refunds".into(),
                category: Some("cat_1".into()),
                status: ArticleStatus::Draft,
                base_revision: None,
            })),
            json!({"type":"save_article","site":"demo","translation_of":"ar_1","lang":"he","slug":"","title":"Refunds","body":"# Refunds","category":"cat_1","status":"draft"}),
        ),
        (
            AgentFrame::SaveArticle(Box::new(ArticleDraft {
                site: "demo".into(),
                id: Some("ar_1".into()),
                translation_of: None,
                lang: "en".into(),
                slug: "refunds".into(),
                title: "Refunds".into(),
                body: "Within 30 days.".into(),
                category: None,
                status: ArticleStatus::Published,
                base_revision: Some(3),
            })),
            json!({"type":"save_article","site":"demo","id":"ar_1","lang":"en","slug":"refunds","title":"Refunds","body":"Within 30 days.","status":"published","base_revision":3}),
        ),
        (
            AgentFrame::ArticleRevisions {
                site: "demo".into(),
                article: "ar_1".into(),
            },
            json!({"type":"article_revisions","site":"demo","article":"ar_1"}),
        ),
        (
            AgentFrame::DeleteArticle {
                site: "demo".into(),
                article: "ar_1".into(),
            },
            json!({"type":"delete_article","site":"demo","article":"ar_1"}),
        ),
        (
            AgentFrame::PreviewArticle {
                body: "**bold**".into(),
            },
            json!({"type":"preview_article","body":"**bold**"}),
        ),
        (
            AgentFrame::SaveCategory {
                site: "demo".into(),
                id: None,
                name: "Billing".into(),
                position: 0,
            },
            json!({"type":"save_category","site":"demo","name":"Billing","position":0}),
        ),
        (
            AgentFrame::SaveCategory {
                site: "demo".into(),
                id: Some("cat_1".into()),
                name: "Payments".into(),
                position: 2,
            },
            json!({"type":"save_category","site":"demo","id":"cat_1","name":"Payments","position":2}),
        ),
        (
            AgentFrame::DeleteCategory {
                site: "demo".into(),
                category: "cat_1".into(),
            },
            json!({"type":"delete_category","site":"demo","category":"cat_1"}),
        ),
        (
            AgentFrame::CannedReplies {
                site: "demo".into(),
            },
            json!({"type":"canned_replies","site":"demo"}),
        ),
        (
            AgentFrame::SaveCannedReply {
                site: "demo".into(),
                id: None,
                shortcut: "refund".into(),
                text: "Hi {{visitor.name}}".into(),
                shared: true,
            },
            json!({"type":"save_canned_reply","site":"demo","shortcut":"refund","text":"Hi {{visitor.name}}","shared":true}),
        ),
        (
            AgentFrame::SaveCannedReply {
                site: "demo".into(),
                id: Some("cr_1".into()),
                shortcut: "bye".into(),
                text: "Bye".into(),
                shared: false,
            },
            json!({"type":"save_canned_reply","site":"demo","id":"cr_1","shortcut":"bye","text":"Bye","shared":false}),
        ),
        (
            AgentFrame::DeleteCannedReply {
                site: "demo".into(),
                id: "cr_1".into(),
            },
            json!({"type":"delete_canned_reply","site":"demo","id":"cr_1"}),
        ),
        (
            AgentFrame::AddNote {
                conversation: conv(),
                text: "VIP".into(),
            },
            json!({"type":"add_note","conversation":"c_1","text":"VIP"}),
        ),
        (
            AgentFrame::Notes {
                conversation: conv(),
            },
            json!({"type":"notes","conversation":"c_1"}),
        ),
        (
            AgentFrame::Take {
                conversation: conv(),
            },
            json!({"type":"take","conversation":"c_1"}),
        ),
        (
            AgentFrame::SetAgentRouting {
                agent: "a_2".into(),
                languages: vec!["fa".into(), "en".into()],
                skills: vec!["vat".into()],
                max_concurrent: 4,
            },
            json!({"type":"set_agent_routing","agent":"a_2","languages":["fa","en"],"skills":["vat"],"max_concurrent":4}),
        ),
        (
            AgentFrame::SiteSettings {
                site: "demo".into(),
            },
            json!({"type":"site_settings","site":"demo"}),
        ),
        (
            AgentFrame::SaveSiteSettings {
                site: "demo".into(),
                routing: Box::new(routing_example()),
                hours: Some(hours_example()),
            },
            json!({"type":"save_site_settings","site":"demo","routing":routing_json(),"hours":hours_json()}),
        ),
        (
            AgentFrame::Report {
                site: "demo".into(),
                period: report_period::ReportPeriod::Custom {
                    first_day: "2026-11-01".into(),
                    last_day: "2026-11-07".into(),
                },
                business_hours: true,
            },
            json!({"type":"report","site":"demo","period":{"kind":"custom","first_day":"2026-11-01","last_day":"2026-11-07"},"business_hours":true}),
        ),
        (
            AgentFrame::Report {
                site: "demo".into(),
                period: report_period::ReportPeriod::Last7Days,
                business_hours: false,
            },
            json!({"type":"report","site":"demo","period":{"kind":"last_7_days"}}),
        ),
        (
            AgentFrame::WatchLive { watch: true },
            json!({"type":"watch_live","watch":true}),
        ),
    ];
    let mut types: Vec<String> = Vec::new();
    for (frame, expected) in cases {
        types.push(expected["type"].as_str().unwrap().to_owned());
        frozen(&frame, expected);
    }
    types.dedup();
    assert_eq!(types, AgentFrame::TYPES);
}

#[test]
fn server_frames() {
    let profile = AgentProfile {
        id: "a_1".into(),
        email: "d@e.f".into(),
        name: "Dana".into(),
        admin: true,
        max_concurrent: 3,
        presence: Presence::Online,
        disabled: false,
        languages: vec!["he".into()],
        skills: vec![],
    };
    let profile_json = json!({"id":"a_1","email":"d@e.f","name":"Dana","admin":true,"max_concurrent":3,"presence":"online","languages":["he"]});
    let message = ChatMessage {
        conversation: conv(),
        seq: 5,
        client_msg_id: "m5".into(),
        author: Author {
            role: Role::Agent,
            agent: Some("a_1".into()),
            name: Some("Dana".into()),
        },
        text: "<b>not html</b>".into(),
        sent_at_ms: 1_700_000_000_123,
    };
    let cases = vec![
        (
            ServerFrame::Welcome {
                protocol: 1,
                visitor: "v_1".into(),
                visitor_token: "tok".into(),
                conversations: vec![summary()],
                prechat_form: false,
                topics: vec![],
                availability: routing::Availability {
                    open: true,
                    agents_available: true,
                    opens_at_ms: None,
                    offline_form: false,
                },
            },
            json!({"type":"welcome","protocol":1,"visitor":"v_1","visitor_token":"tok","conversations":[summary_json()],
                   "availability":{"open":true,"agents_available":true,"offline_form":false}}),
        ),
        (
            ServerFrame::Welcome {
                protocol: 1,
                visitor: "v_1".into(),
                visitor_token: "tok".into(),
                conversations: vec![],
                prechat_form: true,
                topics: vec![routing::TopicChoice {
                    id: "refunds".into(),
                    label: "Refunds".into(),
                }],
                availability: routing::Availability {
                    open: false,
                    agents_available: false,
                    opens_at_ms: Some(1_700_000_000_000),
                    offline_form: true,
                },
            },
            json!({"type":"welcome","protocol":1,"visitor":"v_1","visitor_token":"tok","conversations":[],"prechat_form":true,
                   "topics":[{"id":"refunds","label":"Refunds"}],
                   "availability":{"open":false,"agents_available":false,"opens_at_ms":1_700_000_000_000u64,"offline_form":true}}),
        ),
        (
            ServerFrame::AgentWelcome {
                protocol: 1,
                session_token: "s".into(),
                agent: profile.clone(),
                conversations: vec![],
                waiting: vec![summary()],
                sites: vec![],
            },
            json!({"type":"agent_welcome","protocol":1,"session_token":"s","agent":profile_json.clone(),"conversations":[],"waiting":[summary_json()]}),
        ),
        (
            ServerFrame::AgentWelcome {
                protocol: 1,
                session_token: "s".into(),
                agent: profile.clone(),
                conversations: vec![],
                waiting: vec![],
                sites: vec![SiteBrief {
                    id: "demo".into(),
                    name: "Demo shop".into(),
                    languages: vec!["en".into(), "he".into()],
                }],
            },
            json!({"type":"agent_welcome","protocol":1,"session_token":"s","agent":profile_json.clone(),"conversations":[],"waiting":[],
                   "sites":[{"id":"demo","name":"Demo shop","languages":["en","he"]}]}),
        ),
        (ServerFrame::Conversation(summary()), {
            let mut v = summary_json();
            v["type"] = json!("conversation");
            v
        }),
        (
            ServerFrame::Message(message),
            json!({"type":"message","conversation":"c_1","seq":5,"client_msg_id":"m5","author":{"role":"agent","agent":"a_1","name":"Dana"},"text":"<b>not html</b>","sent_at_ms":1_700_000_000_123u64}),
        ),
        (
            ServerFrame::Ack {
                conversation: conv(),
                client_msg_id: "m1".into(),
                seq: 1,
            },
            json!({"type":"ack","conversation":"c_1","client_msg_id":"m1","seq":1}),
        ),
        (
            ServerFrame::Typing {
                conversation: conv(),
                role: Role::Visitor,
                typing: true,
            },
            json!({"type":"typing","conversation":"c_1","role":"visitor","typing":true}),
        ),
        (
            ServerFrame::QueuePosition {
                conversation: conv(),
                position: 2,
            },
            json!({"type":"queue_position","conversation":"c_1","position":2}),
        ),
        (
            ServerFrame::Queue { waiting: vec![] },
            json!({"type":"queue","waiting":[]}),
        ),
        (
            ServerFrame::QueueDelta {
                added: vec![summary()],
                removed: vec!["c_0".into()],
            },
            json!({"type":"queue_delta","added":[summary_json()],"removed":["c_0"]}),
        ),
        (
            ServerFrame::Presence {
                presence: Presence::Offline,
            },
            json!({"type":"presence","presence":"offline"}),
        ),
        (
            ServerFrame::Agents {
                agents: vec![profile.clone()],
            },
            json!({"type":"agents","agents":[profile_json.clone()]}),
        ),
        (
            ServerFrame::AgentAdded {
                agent: AgentProfile {
                    disabled: true,
                    ..profile
                },
            },
            json!({"type":"agent_added","agent":{"id":"a_1","email":"d@e.f","name":"Dana","admin":true,"max_concurrent":3,"presence":"online","disabled":true,"languages":["he"]}}),
        ),
        (
            ServerFrame::PasswordChanged,
            json!({"type":"password_changed"}),
        ),
        (
            ServerFrame::Error {
                code: ErrorCode::RateLimited,
                message: "slow down".into(),
                client_msg_id: Some("m9".into()),
                retry_after_ms: Some(800),
            },
            json!({"type":"error","code":"rate_limited","message":"slow down","client_msg_id":"m9","retry_after_ms":800}),
        ),
        (
            ServerFrame::error(ErrorCode::NotFound, "no"),
            json!({"type":"error","code":"not_found","message":"no"}),
        ),
        (
            ServerFrame::Reconnect { after_ms: 500 },
            json!({"type":"reconnect","after_ms":500}),
        ),
        (
            ServerFrame::Identified {
                name: Some("Ada".into()),
                conversations: vec![summary()],
            },
            json!({"type":"identified","name":"Ada","conversations":[summary_json()]}),
        ),
        (
            ServerFrame::Acknowledgement(card::Acknowledgement {
                conversation: conv(),
                case_code: "CASE-1001".into(),
                queue_position: Some(2),
                expected_wait_ms: Some(90_000),
                away: Some(card::Away {
                    hours: hours_example(),
                    opens_at_ms: Some(1_700_000_000_000),
                    holiday: Some("Nowruz".into()),
                }),
                offline: true,
            }),
            json!({"type":"acknowledgement","conversation":"c_1","case_code":"CASE-1001","queue_position":2,"expected_wait_ms":90_000,
                   "away":{"hours":hours_json(),"opens_at_ms":1_700_000_000_000u64,"holiday":"Nowruz"},"offline":true}),
        ),
        (
            ServerFrame::SiteSettings {
                site: "demo".into(),
                routing: Box::new(routing_example()),
                hours: None,
            },
            json!({"type":"site_settings","site":"demo","routing":routing_json()}),
        ),
        (
            ServerFrame::Conversation(ConversationSummary {
                route: routing::Route {
                    language: Some("fa".into()),
                    topic: Some("refunds".into()),
                    team: Some("billing".into()),
                    skill: None,
                    priority: routing::Priority::Attribute,
                    offline: false,
                    returned: 1,
                    returned_from: Some("a_9".into()),
                    queued_at_ms: 1_700_000_000_500,
                    matched: Some(routing::Match::Team),
                },
                ..summary()
            }),
            {
                let mut v = summary_json();
                v["type"] = json!("conversation");
                v["route"] = json!({"language":"fa","topic":"refunds","team":"billing","priority":"attribute",
                                    "returned":1,"returned_from":"a_9","queued_at_ms":1_700_000_000_500u64,"matched":"team"});
                v
            },
        ),
        (ServerFrame::Card(card_example()), {
            let mut v = card_json();
            v["type"] = json!("card");
            v
        }),
        (
            ServerFrame::TimelinePage {
                contact: "ct_1".into(),
                items: vec![item_example()],
                next: None,
            },
            json!({"type":"timeline_page","contact":"ct_1","items":[item_json()]}),
        ),
        (
            ServerFrame::ContactResults {
                query: "CASE-1001".into(),
                hits: vec![card::ContactHit {
                    contact: contact_example(),
                    case_code: Some("CASE-1001".into()),
                }],
            },
            json!({"type":"contact_results","query":"CASE-1001","hits":[{"contact":contact_json(),"case_code":"CASE-1001"}]}),
        ),
        (
            ServerFrame::ContactErased(shared::privacy::Erased {
                contact: "ct_1".into(),
                records: 2,
                timeline_items: 3,
                visitors_unlinked: 1,
                conversations: 1,
                messages_redacted: 4,
            }),
            json!({"type":"contact_erased","contact":"ct_1","records":2,"timeline_items":3,"visitors_unlinked":1,"conversations":1,"messages_redacted":4}),
        ),
    ];
    for (frame, expected) in cases {
        visitor_reads_the_same(&expected);
        frozen(&frame, expected);
    }
}

#[test]
fn knowledge_server_frames() {
    let cases = vec![
        (
            ServerFrame::KbResults {
                query: "refund".into(),
                hits: vec![SearchHit {
                    article: "ar_1".into(),
                    lang: "en".into(),
                    slug: "refunds".into(),
                    title: "Refunds".into(),
                    snippet: vec![
                        Span {
                            text: "Ask for a ".into(),
                            hit: false,
                        },
                        Span {
                            text: "refund".into(),
                            hit: true,
                        },
                    ],
                }],
            },
            json!({"type":"kb_results","query":"refund","hits":[{"article":"ar_1","lang":"en","slug":"refunds","title":"Refunds",
                   "snippet":[{"text":"Ask for a "},{"text":"refund","hit":true}]}]}),
        ),
        (ServerFrame::KbArticle(Box::new(view_example())), {
            let mut v = view_json();
            v["type"] = json!("kb_article");
            v
        }),
        (
            ServerFrame::FeedbackRecorded {
                article: "ar_1".into(),
            },
            json!({"type":"feedback_recorded","article":"ar_1"}),
        ),
        (
            ServerFrame::Articles {
                site: "demo".into(),
                articles: vec![article_example()],
                categories: vec![category_example()],
            },
            json!({"type":"articles","site":"demo","articles":[article_json()],"categories":[category_json()]}),
        ),
        (ServerFrame::ArticleSaved(Box::new(article_example())), {
            let mut v = article_json();
            v["type"] = json!("article_saved");
            v
        }),
        (
            ServerFrame::ArticleRevisions {
                article: "ar_1".into(),
                revisions: vec![Revision {
                    revision: 2,
                    at_ms: 1_700_000_000_500,
                    author: "a_1".into(),
                    changed: vec!["body".into(), "status".into()],
                    title: "Refunds".into(),
                    body: "Within 30 days.".into(),
                    status: ArticleStatus::Published,
                    category: None,
                    slug: "refunds".into(),
                }],
            },
            json!({"type":"article_revisions","article":"ar_1","revisions":[{"revision":2,"at_ms":1_700_000_000_500u64,"author":"a_1",
                   "changed":["body","status"],"title":"Refunds","body":"Within 30 days.","status":"published","slug":"refunds"}]}),
        ),
        (
            ServerFrame::ArticleDeleted {
                article: "ar_1".into(),
            },
            json!({"type":"article_deleted","article":"ar_1"}),
        ),
        (
            ServerFrame::ArticlePreview {
                blocks: blocks_example(),
            },
            json!({"type":"article_preview","blocks":blocks_json()}),
        ),
        (
            ServerFrame::Categories {
                site: "demo".into(),
                categories: vec![category_example()],
            },
            json!({"type":"categories","site":"demo","categories":[category_json()]}),
        ),
        (
            ServerFrame::CannedReplies {
                site: "demo".into(),
                replies: vec![
                    CannedReply {
                        id: "cr_1".into(),
                        site: "demo".into(),
                        shortcut: "refund".into(),
                        text: "Hi {{visitor.name}}".into(),
                        owner: None,
                    },
                    CannedReply {
                        id: "cr_2".into(),
                        site: "demo".into(),
                        shortcut: "bye".into(),
                        text: "Bye".into(),
                        owner: Some("a_1".into()),
                    },
                ],
            },
            json!({"type":"canned_replies","site":"demo","replies":[{"id":"cr_1","site":"demo","shortcut":"refund","text":"Hi {{visitor.name}}"},
                   {"id":"cr_2","site":"demo","shortcut":"bye","text":"Bye","owner":"a_1"}]}),
        ),
        (ServerFrame::Note(note_example()), {
            let mut v = note_json();
            v["type"] = json!("note");
            v
        }),
        (
            ServerFrame::Notes {
                conversation: conv(),
                notes: vec![note_example()],
            },
            json!({"type":"notes","conversation":"c_1","notes":[note_json()]}),
        ),
    ];
    for (frame, expected) in cases {
        visitor_reads_the_same(&expected);
        frozen(&frame, expected);
    }
}

/// Types only agents receive; a visitor's decoder lumps them into `Other`.
const AGENT_ONLY: &[&str] = &[
    "agent_welcome",
    "queue",
    "presence",
    "agents",
    "agent_added",
    "password_changed",
    "queue_delta",
    "card",
    "timeline_page",
    "contact_results",
    "contact_export",
    "contact_erased",
    "articles",
    "article_saved",
    "article_revisions",
    "article_deleted",
    "article_preview",
    "categories",
    "canned_replies",
    "note",
    "notes",
    "site_settings",
    "report",
    "live_view",
];

/// The widget's narrower decoder reads a visitor frame to the same JSON,
/// and an agent-only one as `Other` (so it never fails on one).
fn visitor_reads_the_same(json: &Value) {
    let read: VisitorServerFrame = serde_json::from_value(json.clone()).unwrap();
    if AGENT_ONLY.contains(&json["type"].as_str().unwrap()) {
        assert_eq!(read, VisitorServerFrame::Other, "{json}");
    } else {
        assert_eq!(&serde_json::to_value(&read).unwrap(), json);
    }
}

fn contact_example() -> contacts::Contact {
    contacts::Contact {
        id: "ct_1".into(),
        site: "demo".into(),
        name: Some("Ada".into()),
        identities: vec![contacts::Identity::new(
            contacts::IdentityKind::Email,
            "ada@example.com",
            true,
        )],
        attributes: [("plan".to_owned(), "pro".to_owned())].into(),
        created_at_ms: 1,
    }
}

fn contact_json() -> Value {
    json!({"id":"ct_1","site":"demo","name":"Ada","identities":[{"kind":"email","value":"ada@example.com","verified":true}],"attributes":{"plan":"pro"},"created_at_ms":1})
}

fn item_example() -> contacts::TimelineItem {
    contacts::TimelineItem {
        id: "ti_1".into(),
        channel: contacts::Channel::Email,
        direction: contacts::Direction::In,
        at_ms: 5,
        text: "Invoice question".into(),
        agent: None,
        case_code: Some("CASE-1002".into()),
        external_id: Some("mail-1".into()),
        conversation: None,
        csat: None,
    }
}

fn item_json() -> Value {
    json!({"id":"ti_1","channel":"email","direction":"in","at_ms":5,"text":"Invoice question","case_code":"CASE-1002","external_id":"mail-1"})
}

fn card_example() -> card::CustomerCard {
    card::CustomerCard {
        contact: contact_example(),
        timeline: vec![item_example()],
        next: Some(card::TimelineCursor {
            at_ms: 5,
            id: "ti_1".into(),
        }),
        conversations: vec![summary()],
        proposals: vec![card::ProposalView {
            proposal: contacts::MergeProposal {
                id: "mp_1".into(),
                from: "ct_2".into(),
                into: "ct_1".into(),
                matched: contacts::Identity::new(
                    contacts::IdentityKind::Email,
                    "ada@example.com",
                    false,
                ),
                created_at_ms: 3,
            },
            other: contacts::Contact {
                id: "ct_2".into(),
                name: None,
                identities: vec![],
                attributes: Default::default(),
                ..contact_example()
            },
        }],
    }
}

fn card_json() -> Value {
    json!({
        "contact": contact_json(),
        "timeline": [item_json()],
        "next": {"at_ms":5,"id":"ti_1"},
        "conversations": [summary_json()],
        "proposals": [{
            "proposal": {"id":"mp_1","from":"ct_2","into":"ct_1","matched":{"kind":"email","value":"ada@example.com","verified":false},"created_at_ms":3},
            "other": {"id":"ct_2","site":"demo","identities":[],"attributes":{},"created_at_ms":1}
        }]
    })
}

fn article_example() -> Article {
    Article {
        id: "ar_1".into(),
        site: "demo".into(),
        group: "ar_1".into(),
        lang: "en".into(),
        slug: "refunds".into(),
        title: "Refunds".into(),
        body: "Within **30** days.".into(),
        category: Some("cat_1".into()),
        status: ArticleStatus::Published,
        revision: 3,
        updated_at_ms: 1_700_000_000_900,
        updated_by: "a_1".into(),
    }
}

fn article_json() -> Value {
    json!({"id":"ar_1","site":"demo","group":"ar_1","lang":"en","slug":"refunds","title":"Refunds","body":"Within **30** days.",
           "category":"cat_1","status":"published","revision":3,"updated_at_ms":1_700_000_000_900u64,"updated_by":"a_1"})
}

fn category_example() -> Category {
    Category {
        id: "cat_1".into(),
        site: "demo".into(),
        name: "Billing".into(),
        position: 0,
    }
}

fn category_json() -> Value {
    json!({"id":"cat_1","site":"demo","name":"Billing","position":0})
}

fn note_example() -> Note {
    Note {
        id: "ti_9".into(),
        conversation: conv(),
        agent_name: "Dana".into(),
        text: "VIP, be quick".into(),
        at_ms: 1_700_000_000_200,
    }
}

fn note_json() -> Value {
    json!({"id":"ti_9","conversation":"c_1","agent_name":"Dana","text":"VIP, be quick","at_ms":1_700_000_000_200u64})
}

/// Every block and inline kind once, so their wire shape is frozen too.
fn blocks_example() -> Vec<Block> {
    let text = |t: &str| Inline::Text { text: t.into() };
    vec![
        Block::Heading {
            level: 2,
            inlines: vec![text("Refunds")],
        },
        Block::Paragraph {
            inlines: vec![
                Inline::Strong {
                    inlines: vec![text("Within")],
                },
                Inline::Emphasis {
                    inlines: vec![text("30")],
                },
                Inline::Code {
                    text: "days".into(),
                },
                Inline::LineBreak,
                Inline::Link {
                    href: "https://example.com/terms".into(),
                    inlines: vec![text("terms")],
                },
                Inline::Image {
                    src: "https://example.com/x.png".into(),
                    alt: "receipt".into(),
                },
            ],
        },
        Block::List {
            ordered: true,
            items: vec![vec![Block::Paragraph {
                inlines: vec![text("Sign in")],
            }]],
        },
        Block::Code {
            text: "curl -X POST".into(),
        },
    ]
}

fn blocks_json() -> Value {
    json!([
        {"type":"heading","level":2,"inlines":[{"type":"text","text":"Refunds"}]},
        {"type":"paragraph","inlines":[
            {"type":"strong","inlines":[{"type":"text","text":"Within"}]},
            {"type":"emphasis","inlines":[{"type":"text","text":"30"}]},
            {"type":"code","text":"days"},
            {"type":"line_break"},
            {"type":"link","href":"https://example.com/terms","inlines":[{"type":"text","text":"terms"}]},
            {"type":"image","src":"https://example.com/x.png","alt":"receipt"}
        ]},
        {"type":"list","ordered":true,"items":[[{"type":"paragraph","inlines":[{"type":"text","text":"Sign in"}]}]]},
        {"type":"code","text":"curl -X POST"}
    ])
}

fn view_example() -> ArticleView {
    ArticleView {
        id: "ar_1".into(),
        site: "demo".into(),
        lang: "en".into(),
        slug: "refunds".into(),
        title: "Refunds".into(),
        category: Some("Billing".into()),
        blocks: blocks_example(),
        translations: vec![Translation {
            article: "ar_2".into(),
            lang: "he".into(),
            slug: "hahzarim".into(),
            title: "Hahzarim".into(),
        }],
        updated_at_ms: 1_700_000_000_900,
    }
}

fn view_json() -> Value {
    json!({"id":"ar_1","site":"demo","lang":"en","slug":"refunds","title":"Refunds","category":"Billing","blocks":blocks_json(),
           "translations":[{"article":"ar_2","lang":"he","slug":"hahzarim","title":"Hahzarim"}],"updated_at_ms":1_700_000_000_900u64})
}

#[test]
fn error_codes_match_their_wire_names() {
    let all = [
        (ErrorCode::MalformedJson, "malformed_json"),
        (ErrorCode::UnknownType, "unknown_type"),
        (ErrorCode::InvalidFrame, "invalid_frame"),
        (ErrorCode::HelloRequired, "hello_required"),
        (ErrorCode::AlreadyGreeted, "already_greeted"),
        (ErrorCode::UnsupportedProtocol, "unsupported_protocol"),
        (ErrorCode::UnknownSite, "unknown_site"),
        (ErrorCode::InvalidToken, "invalid_token"),
        (ErrorCode::AuthFailed, "auth_failed"),
        (ErrorCode::Forbidden, "forbidden"),
        (ErrorCode::NotFound, "not_found"),
        (ErrorCode::UnknownAgent, "unknown_agent"),
        (ErrorCode::ConversationClosed, "conversation_closed"),
        (ErrorCode::EmptyText, "empty_text"),
        (ErrorCode::TextTooLong, "text_too_long"),
        (ErrorCode::RateLimited, "rate_limited"),
        (ErrorCode::AgentUnavailable, "agent_unavailable"),
        (ErrorCode::AlreadyExists, "already_exists"),
        (ErrorCode::Unavailable, "unavailable"),
        (ErrorCode::Internal, "internal"),
        (ErrorCode::InvalidIdentity, "invalid_identity"),
        (ErrorCode::IdentityConflict, "identity_conflict"),
        (ErrorCode::InvalidDetails, "invalid_details"),
        (ErrorCode::InvalidRating, "invalid_rating"),
        (ErrorCode::CommentTooLong, "comment_too_long"),
        (ErrorCode::NotClosed, "not_closed"),
        (ErrorCode::AlreadyRated, "already_rated"),
        (ErrorCode::VisitorBusy, "visitor_busy"),
    ];
    for (code, wire) in all {
        assert_eq!(serde_json::to_value(code).unwrap(), json!(wire));
        assert_eq!(
            serde_json::from_value::<ErrorCode>(json!(wire)).unwrap(),
            code
        );
        assert_eq!(code.as_str(), wire);
    }
}

#[test]
fn protocol_version_is_one() {
    assert_eq!(PROTOCOL_VERSION, 1);
}

fn routing_example() -> routing::SiteRouting {
    routing::SiteRouting {
        teams: vec![routing::Team {
            id: "billing".into(),
            name: "Billing".into(),
            members: vec!["a_1".into()],
            hours: None,
            answer_within_secs: Some(120),
        }],
        topics: vec![routing::Topic {
            id: "refunds".into(),
            label: "Refunds".into(),
            team: Some("billing".into()),
            skill: Some("vat".into()),
            url_contains: vec!["/returns".into()],
        }],
        widen_after_secs: 60,
        answer_within_secs: 300,
        offline_grace_secs: 60,
        priority: routing::PriorityRules {
            identified: true,
            attribute: Some(routing::AttributeRule {
                key: "plan".into(),
                value: "vip".into(),
            }),
        },
        offline_form: true,
    }
}

fn routing_json() -> Value {
    json!({"teams":[{"id":"billing","name":"Billing","members":["a_1"],"answer_within_secs":120}],
           "topics":[{"id":"refunds","label":"Refunds","team":"billing","skill":"vat","url_contains":["/returns"]}],
           "widen_after_secs":60,"answer_within_secs":300,"offline_grace_secs":60,
           "priority":{"identified":true,"attribute":{"key":"plan","value":"vip"}},"offline_form":true})
}

fn hours_example() -> hours::OpeningHours {
    hours::OpeningHours {
        time_zone: "Asia/Tehran".into(),
        utc_offset_minutes: 0,
        spans: vec![hours::OpenSpan {
            weekday: 5,
            opens: 540,
            closes: 1020,
        }],
        holidays: vec![hours::Holiday {
            date: "2027-03-21".into(),
            name: "Nowruz".into(),
        }],
        exceptions: vec![hours::DayException {
            date: "2027-03-26".into(),
            spans: vec![hours::TimeSpan {
                opens: 600,
                closes: 840,
            }],
        }],
    }
}

fn hours_json() -> Value {
    json!({"time_zone":"Asia/Tehran","spans":[{"weekday":5,"opens":540,"closes":1020}],
           "holidays":[{"date":"2027-03-21","name":"Nowruz"}],
           "exceptions":[{"date":"2027-03-26","spans":[{"opens":600,"closes":840}]}]})
}

fn csat_example() -> csat::Csat {
    csat::Csat {
        rating: 5,
        comment: Some("Sehr gut".into()),
        at_ms: 9,
    }
}

#[test]
fn csat_frames() {
    let rated = ConversationSummary {
        status: ConversationStatus::Closed,
        csat: Some(csat_example()),
        ..summary()
    };
    let mut rated_json = summary_json();
    rated_json["status"] = json!("closed");
    rated_json["csat"] = json!({"rating":5,"comment":"Sehr gut","at_ms":9});
    let item = contacts::TimelineItem {
        csat: Some(csat::Csat {
            rating: 2,
            comment: None,
            at_ms: 5,
        }),
        ..item_example()
    };
    let mut item_rated_json = item_json();
    item_rated_json["csat"] = json!({"rating":2,"at_ms":5});
    let cases = vec![
        (
            ServerFrame::Rated {
                conversation: conv(),
                csat: csat_example(),
            },
            json!({"type":"rated","conversation":"c_1","csat":{"rating":5,"comment":"Sehr gut","at_ms":9}}),
        ),
        (
            ServerFrame::Conversation(rated),
            json!({"type":"conversation"})
                .as_object()
                .unwrap()
                .clone()
                .into_iter()
                .chain(rated_json.as_object().unwrap().clone())
                .collect::<serde_json::Map<_, _>>()
                .into(),
        ),
        (
            ServerFrame::TimelinePage {
                contact: "ct_1".into(),
                items: vec![item],
                next: None,
            },
            json!({"type":"timeline_page","contact":"ct_1","items":[item_rated_json]}),
        ),
    ];
    for (frame, expected) in cases {
        visitor_reads_the_same(&expected);
        frozen(&frame, expected);
    }
}

/// The report and the live view, as admins receive them.
#[test]
fn report_frames() {
    let report = reports::Report {
        period: reports::Period {
            from_ms: 10,
            to_ms: 20,
            previous_from_ms: 0,
            previous_to_ms: 10,
            time_zone: "Europe/Berlin".into(),
            business_hours: false,
        },
        overview: reports::Overview::default(),
        by_agent: vec![],
        by_channel: vec![],
        by_site: vec![],
        heat_map: reports::HeatMap::default(),
        first_response_buckets: vec![],
    };
    let report_json = serde_json::to_value(&report).unwrap();
    let live = reports::LiveView {
        at_ms: 5,
        waiting: 2,
        longest_wait_ms: Some(90_000),
        agents_online: 1,
        agents_busy: 0,
        agents_away: 1,
        agents: vec![reports::LiveAgent {
            agent: "a_1".into(),
            name: "Dana".into(),
            presence: Presence::Online,
            busy: false,
            open_conversations: 2,
        }],
    };
    let cases = vec![
        (
            ServerFrame::Report {
                site: "demo".into(),
                days: report_period::ReportDays {
                    first_day: "2026-11-01".into(),
                    last_day: "2026-11-07".into(),
                },
                report: Box::new(report),
            },
            json!({"type":"report","site":"demo","days":{"first_day":"2026-11-01","last_day":"2026-11-07"},"report":report_json}),
        ),
        (
            ServerFrame::LiveView(live),
            json!({"type":"live_view","at_ms":5,"waiting":2,"longest_wait_ms":90_000,"agents_online":1,"agents_busy":0,"agents_away":1,
                   "agents":[{"agent":"a_1","name":"Dana","presence":"online","busy":false,"open_conversations":2}]}),
        ),
    ];
    for (frame, expected) in cases {
        visitor_reads_the_same(&expected);
        frozen(&frame, expected);
    }
}
