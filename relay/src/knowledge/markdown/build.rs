//! Turns pulldown-cmark's events into the safe blocks, with explicit
//! stacks instead of recursion, so hostile nesting costs memory, not stack.

use pulldown_cmark::{Event, Tag, TagEnd};
use shared::knowledge::{Block, Inline};

use super::{inlines_text, safe_url, LINK_SCHEMES, MAX_LIST_DEPTH, MAX_SPAN_DEPTH, WEB_SCHEMES};

/// What an open run of inlines becomes when it closes.
#[derive(Debug)]
enum RunKind {
    Paragraph,
    Heading(u8),
    Strong,
    Emphasis,
    Link(String),
    /// Its text becomes the alt; `None`: a refused src, the alt stays as text.
    Image(Option<String>),
    /// A span the subset does not keep: its inlines join the enclosing run.
    Plain,
}

#[derive(Debug)]
struct Run {
    kind: RunKind,
    inlines: Vec<Inline>,
}

#[derive(Debug)]
struct OpenList {
    ordered: bool,
    /// `false`: too deep, its items go to the enclosing item.
    kept: bool,
    items: Vec<Vec<Block>>,
}

/// The blocks built so far and what is still open.
#[derive(Debug, Default)]
pub(super) struct Builder {
    body: Vec<Block>,
    lists: Vec<OpenList>,
    /// The blocks of the open items of kept lists, innermost last.
    items: Vec<Vec<Block>>,
    /// The paragraph or heading being filled, then its open spans.
    runs: Vec<Run>,
    /// How many of `runs` count toward [`MAX_SPAN_DEPTH`].
    spans: usize,
    code: Option<String>,
}

impl Builder {
    pub(super) fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(end) => self.end(end),
            Event::Text(text) => match &mut self.code {
                Some(code) => code.push_str(&text),
                None => self.push(text_inline(&text)),
            },
            Event::Code(text) => self.push(Inline::Code {
                text: text.into_string(),
            }),
            Event::InlineHtml(html) | Event::InlineMath(html) | Event::DisplayMath(html) => {
                self.push(text_inline(&html));
            }
            Event::Html(html) => {
                for line in html.lines() {
                    self.push(text_inline(line));
                    self.push(text_inline(" "));
                }
            }
            Event::FootnoteReference(label) => self.push(text_inline(&format!("[{label}]"))),
            Event::SoftBreak => self.push(text_inline(" ")),
            Event::HardBreak => self.push(Inline::LineBreak),
            Event::TaskListMarker(done) => {
                self.push(text_inline(if done { "[x] " } else { "[ ] " }))
            }
            Event::Rule => self.close_block(),
        }
    }

    /// The blocks, once every event was given.
    pub(super) fn finish(mut self) -> Vec<Block> {
        self.close_block();
        self.body
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph | Tag::HtmlBlock => self.open_block(RunKind::Paragraph),
            Tag::Heading { level, .. } => self.open_block(RunKind::Heading(level as u8)),
            Tag::CodeBlock(_) => {
                self.close_block();
                self.code = Some(String::new());
            }
            Tag::List(first) => {
                self.close_block();
                // Kept lists are the outermost ones.
                let kept = self.lists.len() < MAX_LIST_DEPTH;
                let ordered = first.is_some();
                self.lists.push(OpenList {
                    ordered,
                    kept,
                    items: Vec::new(),
                });
            }
            Tag::Item => {
                self.close_block();
                if self.lists.last().is_some_and(|l| l.kept) {
                    self.items.push(Vec::new());
                }
            }
            Tag::TableCell => {
                if self.runs.first().is_some_and(|run| !run.inlines.is_empty()) {
                    self.push(text_inline(" | "));
                }
            }
            Tag::Emphasis => self.open_span(RunKind::Emphasis),
            Tag::Strong => self.open_span(RunKind::Strong),
            Tag::Link { dest_url, .. } => match safe_url(&dest_url, LINK_SCHEMES) {
                Some(href) => self.open_span(RunKind::Link(href)),
                None => self.open_span(RunKind::Plain),
            },
            Tag::Image { dest_url, .. } => {
                self.open_span(RunKind::Image(safe_url(&dest_url, WEB_SCHEMES)));
            }
            Tag::Strikethrough | Tag::Superscript | Tag::Subscript => {
                self.open_span(RunKind::Plain)
            }
            // Block quotes, tables, rows, footnotes and the rest: their
            // content is kept, the container is not.
            _ => self.close_block(),
        }
    }

    fn end(&mut self, end: TagEnd) {
        match end {
            TagEnd::CodeBlock => {
                if let Some(mut text) = self.code.take() {
                    if text.ends_with('\n') {
                        text.pop();
                    }
                    if !text.is_empty() {
                        self.target().push(Block::Code { text });
                    }
                }
            }
            TagEnd::List(_) => {
                self.close_block();
                if let Some(list) = self.lists.pop() {
                    if list.kept && !list.items.is_empty() {
                        let (ordered, items) = (list.ordered, list.items);
                        self.target().push(Block::List { ordered, items });
                    }
                }
            }
            TagEnd::Item => {
                self.close_block();
                if self.lists.last().is_some_and(|l| l.kept) {
                    if let (Some(item), Some(list)) = (self.items.pop(), self.lists.last_mut()) {
                        list.items.push(item);
                    }
                }
            }
            TagEnd::TableCell => {}
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image => {
                if self.runs.len() > 1 {
                    self.close_span();
                }
            }
            _ => self.close_block(),
        }
    }

    /// Where finished blocks go: the innermost kept item, or the body.
    fn target(&mut self) -> &mut Vec<Block> {
        match self.items.last_mut() {
            Some(item) => item,
            None => &mut self.body,
        }
    }

    fn open_block(&mut self, kind: RunKind) {
        self.close_block();
        self.runs.push(Run {
            kind,
            inlines: Vec::new(),
        });
    }

    fn open_span(&mut self, kind: RunKind) {
        let mut run = Run {
            kind,
            inlines: Vec::new(),
        };
        if run.is_span() {
            if self.spans < MAX_SPAN_DEPTH {
                self.spans += 1;
            } else {
                run.kind = RunKind::Plain;
            }
        }
        self.ensure_block();
        self.runs.push(run);
    }

    /// Inline content outside a paragraph (tight list items, table cells)
    /// opens one.
    fn ensure_block(&mut self) {
        if self.runs.is_empty() {
            self.runs.push(Run {
                kind: RunKind::Paragraph,
                inlines: Vec::new(),
            });
        }
    }

    fn push(&mut self, inline: Inline) {
        self.ensure_block();
        if let Some(run) = self.runs.last_mut() {
            push_merged(&mut run.inlines, inline);
        }
    }

    fn close_span(&mut self) {
        let Some(run) = self.runs.pop() else {
            return;
        };
        if run.is_span() {
            self.spans = self.spans.saturating_sub(1);
        }
        let Run { kind, inlines } = run;
        let closed = match kind {
            RunKind::Strong if !inlines.is_empty() => vec![Inline::Strong { inlines }],
            RunKind::Emphasis if !inlines.is_empty() => vec![Inline::Emphasis { inlines }],
            RunKind::Link(href) if inlines.is_empty() => {
                vec![Inline::Link {
                    inlines: vec![text_inline(&href)],
                    href,
                }]
            }
            RunKind::Link(href) => vec![Inline::Link { href, inlines }],
            RunKind::Image(src) => {
                let mut words = String::new();
                inlines_text(&inlines, &mut words);
                let alt = words.split_whitespace().collect::<Vec<_>>().join(" ");
                match src {
                    Some(src) => vec![Inline::Image { src, alt }],
                    None => vec![text_inline(&alt)],
                }
            }
            _ => inlines,
        };
        if let Some(parent) = self.runs.last_mut() {
            for inline in closed {
                push_merged(&mut parent.inlines, inline);
            }
        }
    }

    /// Closes the open paragraph or heading, with any spans left open.
    fn close_block(&mut self) {
        while self.runs.len() > 1 {
            self.close_span();
        }
        let Some(Run { kind, mut inlines }) = self.runs.pop() else {
            return;
        };
        if let Some(Inline::Text { text }) = inlines.last_mut() {
            text.truncate(text.trim_end().len());
            if text.is_empty() {
                inlines.pop();
            }
        }
        if inlines.is_empty() {
            return;
        }
        let block = match kind {
            RunKind::Heading(level) => Block::Heading { level, inlines },
            _ => Block::Paragraph { inlines },
        };
        self.target().push(block);
    }
}

impl Run {
    fn is_span(&self) -> bool {
        matches!(
            self.kind,
            RunKind::Strong | RunKind::Emphasis | RunKind::Link(_)
        )
    }
}

fn text_inline(text: &str) -> Inline {
    Inline::Text {
        text: text.to_owned(),
    }
}

/// Appends `inline`, joining a text run to the one before it.
fn push_merged(inlines: &mut Vec<Inline>, inline: Inline) {
    match (inlines.last_mut(), inline) {
        (_, Inline::Text { text }) if text.is_empty() => {}
        (Some(Inline::Text { text: last }), Inline::Text { text }) => last.push_str(&text),
        (_, inline) => inlines.push(inline),
    }
}
