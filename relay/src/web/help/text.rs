//! The help center's few words of its own, per language, so a Hebrew page
//! does not say "Search" in English. Languages without a row get English.

/// The page's own words (everything else on it is the site's).
#[derive(Debug)]
pub(super) struct Words {
    pub(super) help_center: &'static str,
    pub(super) search: &'static str,
    pub(super) search_label: &'static str,
    pub(super) results_for: &'static str,
    pub(super) no_match: &'static str,
    pub(super) back: &'static str,
    pub(super) also_in: &'static str,
    pub(super) other: &'static str,
    pub(super) updated: &'static str,
    pub(super) not_found: &'static str,
    pub(super) unavailable: &'static str,
}

const EN: Words = Words {
    help_center: "Help center",
    search: "Search",
    search_label: "Search the help center",
    results_for: "Results for",
    no_match: "No articles match",
    back: "Back to all articles",
    also_in: "Also in",
    other: "Other",
    updated: "Updated",
    not_found: "Page not found",
    unavailable: "The help center is unavailable; try again in a moment",
};

const HE: Words = Words {
    help_center: "מרכז העזרה",
    search: "חיפוש",
    search_label: "חיפוש במרכז העזרה",
    results_for: "תוצאות עבור",
    no_match: "לא נמצאו מאמרים מתאימים",
    back: "חזרה לכל המאמרים",
    also_in: "גם בשפות",
    other: "אחר",
    updated: "עודכן",
    not_found: "הדף לא נמצא",
    unavailable: "מרכז העזרה אינו זמין; נסו שוב בעוד רגע",
};

const FA: Words = Words {
    help_center: "مرکز راهنما",
    search: "جستجو",
    search_label: "جستجو در مرکز راهنما",
    results_for: "نتایج برای",
    no_match: "هیچ مقاله‌ای پیدا نشد",
    back: "بازگشت به همهٔ مقاله‌ها",
    also_in: "به زبان‌های دیگر",
    other: "سایر",
    updated: "به‌روزرسانی",
    not_found: "صفحه پیدا نشد",
    unavailable: "مرکز راهنما در دسترس نیست؛ کمی بعد دوباره امتحان کنید",
};

const RU: Words = Words {
    help_center: "Справочный центр",
    search: "Найти",
    search_label: "Поиск по справочному центру",
    results_for: "Результаты по запросу",
    no_match: "Подходящих статей нет",
    back: "Назад ко всем статьям",
    also_in: "На других языках",
    other: "Другое",
    updated: "Обновлено",
    not_found: "Страница не найдена",
    unavailable: "Справочный центр недоступен; попробуйте чуть позже",
};

const HY: Words = Words {
    help_center: "Օգնության կենտրոն",
    search: "Որոնել",
    search_label: "Որոնել օգնության կենտրոնում",
    results_for: "Արդյունքներ",
    no_match: "Համապատասխան հոդվածներ չկան",
    back: "Վերադառնալ բոլոր հոդվածներին",
    also_in: "Այլ լեզուներով",
    other: "Այլ",
    updated: "Թարմացվել է",
    not_found: "Էջը չի գտնվել",
    unavailable: "Օգնության կենտրոնը հասանելի չէ, փորձեք մի փոքր ուշ",
};

/// The words for `lang` (by its primary subtag: `fa-IR` reads Persian).
pub(super) fn words(lang: &str) -> &'static Words {
    match primary(lang) {
        "he" | "iw" => &HE,
        "fa" => &FA,
        "ru" => &RU,
        "hy" => &HY,
        _ => &EN,
    }
}

/// A language's name in itself, for the language links; the tag when
/// there is no row for it.
pub(super) fn autonym(lang: &str) -> &str {
    match primary(lang) {
        "en" => "English",
        "he" | "iw" => "עברית",
        "fa" => "فارسی",
        "ru" => "Русский",
        "hy" => "Հայերեն",
        _ => lang,
    }
}

fn primary(lang: &str) -> &str {
    lang.split('-').next().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_read_their_language_and_unknown_ones_english() {
        assert_eq!(words("fa-IR").search, "جستجو");
        assert_eq!(words("he").other, "אחר");
        assert_eq!(words("de").search, "Search");
        assert_eq!(autonym("ru-RU"), "Русский");
        assert_eq!(autonym("de"), "de");
    }
}
