//! The help center's HTML. Every string an admin or a visitor wrote (site
//! and category names, titles, snippets, the search) goes through
//! [`escape`]; article bodies through `markdown::to_html`, which escapes
//! its own. No page carries a script.

use shared::knowledge::{Article, ArticleView, SearchHit};
use shared::lang::direction;

use super::text::{autonym, words};
use super::{href, Section};
use crate::knowledge::markdown;
use crate::store::Site;

/// The one stylesheet, inline: the page's CSP allows exactly it.
pub(super) const STYLE: &str = include_str!("help.css");

/// What every page of one site in one language shares: its header.
#[derive(Debug, Clone, Copy)]
pub(super) struct Frame<'a> {
    pub(super) site: &'a Site,
    pub(super) lang: &'a str,
    /// The search, shown back in the box.
    pub(super) query: &'a str,
}

/// The index: the articles by category, and the other languages.
pub(super) fn index(frame: Frame<'_>, sections: &[Section<'_>], languages: &[String]) -> String {
    let w = words(frame.lang);
    let mut main = String::new();
    for section in sections {
        // "Other" only says something beside named categories.
        if section.name.is_some() || sections.len() > 1 {
            let name = section.name.unwrap_or(w.other);
            main.push_str(&format!("<h2>{}</h2>\n", escape(name)));
        }
        main.push_str("<ul class=\"articles\">\n");
        for article in &section.articles {
            main.push_str(&format!("<li>{}</li>\n", article_link(frame, article)));
        }
        main.push_str("</ul>\n");
    }
    let others: Vec<String> = languages
        .iter()
        .filter(|l| l.as_str() != frame.lang)
        .map(|l| language_link(&index_href(frame.site, l), l, autonym(l)))
        .collect();
    if !others.is_empty() {
        main.push_str(&format!("<nav>{}: {}</nav>\n", w.also_in, others.join(" ")));
    }
    page(frame, w.help_center, "", &main)
}

/// The search's hits, matched words marked.
pub(super) fn results(frame: Frame<'_>, hits: &[SearchHit]) -> String {
    let w = words(frame.lang);
    let heading = format!("{} “{}”", w.results_for, escape(frame.query));
    let mut main = format!("<h1>{heading}</h1>\n");
    if hits.is_empty() {
        main.push_str(&format!("<p>{}.</p>\n", w.no_match));
    } else {
        main.push_str("<ul class=\"articles\">\n");
        for hit in hits {
            let path = href(&frame.site.id, &hit.lang, &hit.slug);
            main.push_str(&format!(
                "<li>{}\n<p class=\"snippet\" lang=\"{lang}\" dir=\"{dir}\">{}</p></li>\n",
                language_link(&path, &hit.lang, &hit.title),
                snippet(hit),
                lang = escape(&hit.lang),
                dir = direction(&hit.lang),
            ));
        }
        main.push_str("</ul>\n");
    }
    main.push_str(&back(frame));
    page(frame, &format!("{heading} · {}", w.help_center), "", &main)
}

/// One article, its translations linked.
pub(super) fn article(frame: Frame<'_>, article: &ArticleView) -> String {
    let w = words(frame.lang);
    let mut head = String::new();
    let mut links = Vec::new();
    for t in &article.translations {
        let path = href(&article.site, &t.lang, &t.slug);
        head.push_str(&format!(
            "<link rel=\"alternate\" hreflang=\"{}\" href=\"{}\">\n",
            escape(&t.lang),
            escape(&path)
        ));
        links.push(language_link(&path, &t.lang, &t.title));
    }
    let mut main = String::from("<article>\n");
    if let Some(category) = &article.category {
        main.push_str(&format!("<p class=\"meta\">{}</p>\n", escape(category)));
    }
    let day = date(article.updated_at_ms);
    main.push_str(&format!(
        "<h1>{}</h1>\n{}\n<p class=\"meta\">{}: <time datetime=\"{day}\">{day}</time></p>\n</article>\n",
        escape(&article.title),
        markdown::to_html(&article.blocks),
        w.updated,
    ));
    if !links.is_empty() {
        main.push_str(&format!("<p>{}: {}</p>\n", w.also_in, links.join(" · ")));
    }
    main.push_str(&back(frame));
    page(frame, &escape(&article.title), &head, &main)
}

/// A page for a request that has none: unknown site, article or language,
/// or a store outage.
pub(super) fn refusal(lang: &str, site: Option<&Site>, unavailable: bool) -> String {
    let w = words(lang);
    let say = if unavailable {
        w.unavailable
    } else {
        w.not_found
    };
    let home = site
        .map(|s| {
            format!(
                "<p><a href=\"{}\">{}</a></p>\n",
                escape(&index_href(s, lang)),
                w.back
            )
        })
        .unwrap_or_default();
    let body = format!("<main>\n<h1>{say}</h1>\n{home}</main>\n");
    document(lang, say, "", &body)
}

/// A page with the site's header and search box.
fn page(frame: Frame<'_>, title: &str, head: &str, main: &str) -> String {
    let w = words(frame.lang);
    let home = escape(&index_href(frame.site, frame.lang));
    let header = format!(
        "<header>\n<a class=\"site\" href=\"{home}\">{site}<small>{center}</small></a>\n\
         <form method=\"get\" action=\"{home}\" role=\"search\">\n\
         <label for=\"q\">{label}</label>\n\
         <input type=\"search\" id=\"q\" name=\"q\" value=\"{query}\" maxlength=\"200\">\n\
         <button type=\"submit\">{search}</button>\n</form>\n</header>\n",
        site = escape(&frame.site.name),
        center = w.help_center,
        label = w.search_label,
        query = escape(frame.query),
        search = w.search,
    );
    let title = format!("{title} · {}", escape(&frame.site.name));
    document(
        frame.lang,
        &title,
        head,
        &format!("{header}<main>\n{main}</main>\n"),
    )
}

/// `title` and `head` are HTML already.
fn document(lang: &str, title: &str, head: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n{head}</head>\n<body>\n{body}</body>\n</html>\n",
        lang = escape(lang),
        dir = direction(lang),
    )
}

fn article_link(frame: Frame<'_>, article: &Article) -> String {
    format!(
        "<a href=\"{}\">{}</a>",
        escape(&href(&frame.site.id, &article.lang, &article.slug)),
        escape(&article.title)
    )
}

/// A link to a page in another language, marked as such for readers and
/// screen readers, laid out in that language's direction.
fn language_link(path: &str, lang: &str, text: &str) -> String {
    format!(
        "<a href=\"{}\" hreflang=\"{lang}\" lang=\"{lang}\" dir=\"{}\">{}</a>",
        escape(path),
        direction(lang),
        escape(text),
        lang = escape(lang),
    )
}

fn back(frame: Frame<'_>) -> String {
    let home = escape(&index_href(frame.site, frame.lang));
    format!(
        "<nav><a href=\"{home}\">{}</a></nav>\n",
        words(frame.lang).back
    )
}

fn index_href(site: &Site, lang: &str) -> String {
    format!("/help/{}/{}", site.id, lang)
}

fn snippet(hit: &SearchHit) -> String {
    let mut out = String::new();
    for span in &hit.snippet {
        if span.hit {
            out.push_str(&format!("<mark>{}</mark>", escape(&span.text)));
        } else {
            out.push_str(&escape(&span.text));
        }
    }
    out
}

/// `text` safe between tags and inside a quoted attribute.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    crate::knowledge::markdown::escape_html(text, &mut out);
    out
}

/// The UTC day (`2024-05-31`) of a Unix time in milliseconds (Hinnant's
/// days-to-civil; no calendar crate for one date).
fn date(ms: u64) -> String {
    let days = i64::try_from(ms / 86_400_000).unwrap_or_default() + 719_468;
    let era = days.div_euclid(146_097);
    let doe = days.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_days() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(951_782_400_000), "2000-02-29");
        assert_eq!(date(1_700_000_000_000), "2023-11-14");
    }

    #[test]
    fn markup_in_text_is_escaped() {
        assert_eq!(
            escape("\"><script>alert('x')</script>&"),
            "&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"
        );
    }
}
