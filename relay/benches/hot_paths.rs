//! Micro-benchmarks of the relay's hot paths, so a regression shows as a
//! number: decoding a client frame and encoding a server frame (every chat
//! message passes through both), and the routing decision over 1,000
//! agents (run for every new conversation and on every sweep), also over
//! a realistic 10,000-long queue (the loadgen routing scenario's world).
//! `cargo bench -p relay --bench hot_paths`.

// Test code: an unwrap says "this must hold" (the lint is for the product).
#![allow(clippy::unwrap_used)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use relay::routing::synthetic::{synthetic, SEED};
use relay::routing::{
    choose_agent, plan_assignments, AgentLoad, Policies, RoutingSnapshot, Waiting,
};
use relay::ws::codec;
use shared::{Author, ChatMessage, Presence, Role, ServerFrame, VisitorFrame};

fn frames(c: &mut Criterion) {
    let send = r#"{"type":"send","conversation":"c-5f0e6d2a9b","client_msg_id":"m-1700000000000-42","text":"Hello, I have a question about my order #1234, can you help?"}"#;
    c.bench_function("decode visitor send", |b| {
        b.iter(|| codec::decode::<VisitorFrame>(black_box(send), VisitorFrame::TYPES).unwrap())
    });
    let message = ServerFrame::Message(ChatMessage {
        conversation: "c-5f0e6d2a9b".into(),
        seq: 42,
        client_msg_id: "m-1700000000000-42".into(),
        author: Author {
            role: Role::Agent,
            agent: Some("a-1".into()),
            name: Some("Dana".into()),
        },
        text: "Of course! Could you tell me the email on the order?".into(),
        sent_at_ms: 1_700_000_000_000,
    });
    c.bench_function("encode message", |b| {
        b.iter(|| codec::encode(black_box(&message)))
    });
}

fn snapshot(agents: usize, waiting: usize) -> RoutingSnapshot {
    RoutingSnapshot {
        agents: (0..agents)
            .map(|i| AgentLoad {
                id: format!("agent-{i:04}").as_str().into(),
                presence: if i % 10 == 0 {
                    Presence::Away
                } else {
                    Presence::Online
                },
                max_concurrent: 5,
                load: u32::try_from(i % 5).unwrap_or(0),
                last_activity_ms: 1_700_000_000_000 - (i as u64 * 7919) % 100_000,
                languages: Vec::new(),
                skills: Vec::new(),
            })
            .collect(),
        waiting: (0..waiting)
            .map(|i| Waiting {
                id: format!("c-{i}").as_str().into(),
                site: "demo".into(),
                route: Default::default(),
                created_at_ms: 1_700_000_000_000,
            })
            .collect(),
    }
}

fn routing(c: &mut Criterion) {
    let one = snapshot(1_000, 1);
    c.bench_function("choose agent of 1000", |b| {
        b.iter(|| choose_agent(black_box(&one.agents)))
    });
    let queue = snapshot(1_000, 100);
    let policies = Policies::default();
    c.bench_function("plan 100 waiting over 1000 agents", |b| {
        b.iter(|| plan_assignments(black_box(&queue), &policies, 1_700_000_100_000))
    });
    // The loadgen routing scenario's "typical" world: teams, languages,
    // skills, priorities, some of the queue past widening.
    let world = synthetic(10_000, 1_000, SEED);
    c.bench_function("plan 10000 waiting over 1000 agents", |b| {
        b.iter(|| plan_assignments(black_box(&world.snapshot), &world.policies, world.now_ms))
    });
}

criterion_group!(benches, frames, routing);
criterion_main!(benches);
