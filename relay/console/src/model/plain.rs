//! An article's body as plain text, for pasting into a reply: the relay's
//! block tree flattened the way a person would retype it. Blocks are
//! separated by a blank line, list items get `- ` or `1. ` (nested ones
//! indented), and a link keeps its address after its words so the visitor
//! can still follow it.

use shared::knowledge::{Block, Inline};

/// The text of `blocks`, without formatting.
pub(crate) fn plain_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    write_blocks(&mut out, blocks, 0);
    out.trim_end().to_owned()
}

fn write_blocks(out: &mut String, blocks: &[Block], depth: usize) {
    for (i, block) in blocks.iter().enumerate() {
        // Blocks inside a list item follow each other line by line.
        if i > 0 && depth == 0 {
            out.push('\n');
        }
        write_block(out, block, depth);
    }
}

fn write_block(out: &mut String, block: &Block, depth: usize) {
    match block {
        Block::Paragraph { inlines } | Block::Heading { inlines, .. } => {
            write_inlines(out, inlines);
            out.push('\n');
        }
        Block::Code { text } => {
            out.push_str(text.trim_end_matches('\n'));
            out.push('\n');
        }
        Block::List { ordered, items } => {
            for (n, item) in items.iter().enumerate() {
                out.push_str(&"  ".repeat(depth));
                if *ordered {
                    out.push_str(&format!("{}. ", n + 1));
                } else {
                    out.push_str("- ");
                }
                let mut inner = String::new();
                write_blocks(&mut inner, item, depth + 1);
                out.push_str(inner.trim_start());
                if !out.ends_with('\n') {
                    out.push('\n');
                }
            }
        }
    }
}

fn write_inlines(out: &mut String, inlines: &[Inline]) {
    for inline in inlines {
        match inline {
            Inline::Text { text } | Inline::Code { text } => out.push_str(text),
            Inline::Strong { inlines } | Inline::Emphasis { inlines } => {
                write_inlines(out, inlines);
            }
            Inline::Link { href, inlines } => {
                let mut words = String::new();
                write_inlines(&mut words, inlines);
                if words.trim().is_empty() || words.trim() == href {
                    out.push_str(href);
                } else {
                    out.push_str(&format!("{words} ({href})"));
                }
            }
            Inline::Image { alt, .. } => out.push_str(alt),
            Inline::LineBreak => out.push('\n'),
        }
    }
}
