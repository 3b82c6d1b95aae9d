//! The knowledge base's search index under a realistic size: N synthetic
//! articles (en, ru, he, fa, on four sites) indexed in one
//! `upsert_many`, this process's RSS before and after, then M searches of
//! the kinds visitors type (exact words, typos, prefixes, several words;
//! with and without a language) and their latency. In process: the index
//! is a library, and this measures it without sockets around it.

use std::fmt::Write as _;
use std::time::Instant;

use hdrhistogram::Histogram;
use relay::knowledge::search::{IndexedArticle, SearchIndex};
use relay::seeded::Seeded;
use shared::knowledge::MAX_HITS;
use shared::SiteId;

use super::super::drive::load_average;
use super::super::procs::ProcSample;
use super::super::report::{mib, ms};

const LANGS: [&str; 4] = ["en", "ru", "he", "fa"];
const SITES: u64 = 4;
const WORDS_PER_ARTICLE: usize = 150;
const VOCABULARY: usize = 3_000;

/// Real words first (the most frequent), then syllables for the rest.
const EN: ([&str; 6], &[&str]) = (
    [
        "password", "refund", "order", "delivery", "invoice", "account",
    ],
    &[
        "ac", "count", "pay", "ment", "or", "der", "ship", "ping", "re", "fund", "pass", "word",
        "set", "tle", "in", "voice", "de", "liv", "er", "sub", "scrip", "tion", "sign", "track",
    ],
);
const RU: ([&str; 6], &[&str]) = (
    ["заказ", "пароль", "доставка", "возврат", "оплата", "счёт"],
    &[
        "за", "каз", "опл", "ата", "дос", "тав", "ка", "воз", "врат", "па", "роль", "сче", "ко",
        "рзи", "на", "по", "куп", "ак", "унт", "под", "пис", "ва", "ли", "ди",
    ],
);
const HE: ([&str; 6], &[&str]) = (
    ["שלום", "הזמנה", "משלוח", "סיסמה", "חשבון", "החזר"],
    &[
        "של", "ום", "הז", "מנ", "ה", "מש", "לו", "ח", "סי", "סמ", "חש", "בו", "ן", "תש", "ם", "הח",
        "זר", "קב", "לה", "מו", "צר", "ית", "כת", "רו",
    ],
);
const FA: ([&str; 6], &[&str]) = (
    ["کتاب", "سفارش", "ارسال", "رمز", "پرداخت", "حساب"],
    &[
        "کت", "اب", "سف", "ارش", "ار", "سال", "رم", "ز", "حس", "پر", "دا", "خت", "با", "زپ", "رد",
        "اخت", "خر", "ید", "پی", "ام", "مش", "تر", "ی", "گا",
    ],
);

/// Skewed towards 0, like word frequencies: a few words are everywhere,
/// most are rare.
fn skewed(rng: &mut Seeded, n: usize) -> usize {
    ((n as f64) * rng.unit().powi(3)) as usize
}

/// A language's words: the real ones, then syllable compounds.
fn vocabulary((real, syllables): ([&str; 6], &[&str]), rng: &mut Seeded) -> Vec<String> {
    let mut words: Vec<String> = real.iter().map(|w| (*w).to_owned()).collect();
    while words.len() < VOCABULARY {
        let parts = 2 + rng.index(3);
        words.push(
            (0..parts)
                .map(|_| syllables[rng.index(syllables.len())])
                .collect(),
        );
    }
    words
}

fn sentence(words: &[String], count: usize, rng: &mut Seeded) -> Vec<String> {
    (0..count)
        .map(|_| words[skewed(rng, words.len())].clone())
        .collect()
}

/// `n` articles, round-robin over languages and sites.
fn articles(n: usize, vocabularies: &[Vec<String>; 4], rng: &mut Seeded) -> Vec<IndexedArticle> {
    (0..n)
        .map(|i| {
            let lang = i % LANGS.len();
            let words = &vocabularies[lang];
            let title = sentence(words, 4 + rng.index(5), rng).join(" ");
            let text = sentence(words, WORDS_PER_ARTICLE, rng)
                .chunks(12)
                .map(|s| s.join(" "))
                .collect::<Vec<_>>()
                .join(". ");
            IndexedArticle {
                site: SiteId(format!("kb-{}", (i as u64 / 4) % SITES)),
                id: format!("a{i}").as_str().into(),
                lang: LANGS[lang].to_owned(),
                slug: format!("article-{i}"),
                title,
                text,
            }
        })
        .collect()
}

#[derive(Clone, Copy)]
enum Kind {
    Exact,
    Typo,
    Prefix,
    Words,
}

const KINDS: [(Kind, &str); 4] = [
    (Kind::Exact, "exact word"),
    (Kind::Typo, "typo (one swap)"),
    (Kind::Prefix, "prefix (3–5 letters)"),
    (Kind::Words, "2–3 words"),
];

/// A query of `kind` made from a word of `article`.
fn query(kind: Kind, article: &IndexedArticle, rng: &mut Seeded) -> String {
    let words: Vec<&str> = article
        .text
        .split([' ', '.'])
        .filter(|w| !w.is_empty())
        .collect();
    let pick = |rng: &mut Seeded| words[rng.index(words.len())];
    match kind {
        Kind::Exact => pick(rng).to_owned(),
        Kind::Typo => {
            let mut word: Vec<char> = pick(rng).chars().collect();
            for _ in 0..8 {
                if word.len() >= 5 {
                    break;
                }
                word = pick(rng).chars().collect();
            }
            if word.len() >= 2 {
                let at = rng.index(word.len() - 1);
                word.swap(at, at + 1);
            }
            word.into_iter().collect()
        }
        Kind::Prefix => {
            let word: Vec<char> = pick(rng).chars().collect();
            let len = (3 + rng.index(3)).min(word.len());
            word[..len].iter().collect()
        }
        Kind::Words => {
            let count = 2 + rng.index(2);
            (0..count).map(|_| pick(rng)).collect::<Vec<_>>().join(" ")
        }
    }
}

fn row(label: &str, h: &Histogram<u64>, found: u64) -> String {
    let (p50, p99) = if h.is_empty() {
        (0, 0)
    } else {
        (h.value_at_quantile(0.5), h.value_at_quantile(0.99))
    };
    format!(
        "| {label} | {} | {} | {} | {} | {found} |\n",
        h.len(),
        ms(p50),
        ms(p99),
        ms(h.max())
    )
}

/// `loadgen kb-search`: index `n` articles, run `m` queries, report.
pub fn kb_search(n: usize, m: usize) -> anyhow::Result<String> {
    let mut rng = Seeded::new(0x5EED);
    let vocabularies = [EN, RU, HE, FA].map(|l| vocabulary(l, &mut rng));
    let corpus = articles(n, &vocabularies, &mut rng);
    let before = ProcSample::own()?;
    let started = Instant::now();
    let index = SearchIndex::new()?;
    index.upsert_many(&corpus)?;
    let indexed_in = started.elapsed();
    let after = ProcSample::own()?;
    anyhow::ensure!(index.len() == n as u64, "indexed {} of {n}", index.len());

    let mut all = Histogram::<u64>::new(3)?;
    let mut by_kind = Vec::new();
    for _ in KINDS {
        by_kind.push((Histogram::<u64>::new(3)?, 0u64));
    }
    let (mut with_hit, mut hits) = (0u64, 0usize);
    for i in 0..m {
        let article = &corpus[rng.index(corpus.len())];
        let (kind, _) = KINDS[i % KINDS.len()];
        let text = query(kind, article, &mut rng);
        let lang = (rng.index(2) == 0).then_some(article.lang.as_str());
        let started = Instant::now();
        let found = index.search(&article.site, lang, &text, MAX_HITS)?;
        let us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
        all.record(us)?;
        let (h, found_here) = &mut by_kind[i % KINDS.len()];
        h.record(us)?;
        hits += found.len();
        if !found.is_empty() {
            with_hit += 1;
            *found_here += 1;
        }
    }

    let mut out = format!(
        "### Knowledge-base search: {n} articles (en, ru, he, fa; {SITES} sites; ~{WORDS_PER_ARTICLE} words each), {m} queries\n\n\
         | measure | value |\n| --- | --- |\n"
    );
    writeln!(
        out,
        "| index time (one upsert_many) | {:.0} ms |",
        indexed_in.as_secs_f64() * 1000.0
    )?;
    writeln!(
        out,
        "| indexing CPU | {:.2} s |",
        (after.cpu.saturating_sub(before.cpu)).as_secs_f64()
    )?;
    writeln!(
        out,
        "| RSS before / after indexing | {} / {} MiB |",
        mib(before.rss_bytes),
        mib(after.rss_bytes)
    )?;
    writeln!(out, "| documents in the index | {} |", index.len())?;
    writeln!(out, "| queries with a hit | {with_hit} of {m} |")?;
    writeln!(out, "| hits returned | {hits} |")?;
    writeln!(out, "| load average (1 min) | {:.2} |", load_average())?;
    out.push_str("\n| query | count | p50 ms | p99 ms | max ms | with a hit |\n| --- | --- | --- | --- | --- | --- |\n");
    for ((_, label), (h, found)) in KINDS.iter().zip(&by_kind) {
        out.push_str(&row(label, h, *found));
    }
    out.push_str(&row("all", &all, with_hit));
    Ok(out)
}
