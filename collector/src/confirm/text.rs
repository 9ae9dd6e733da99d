//! The SMS texts, in Kazakh, Russian and English: the one-time code, and a record's receipt.

use kelisim::lang::Lang;

/// The code message: the code first (phones offer to copy it), the operator, how long it holds.
pub fn code_message(lang: Lang, code: &str, operator: &str, valid_for_minutes: u64) -> String {
    let m = valid_for_minutes;
    match lang {
        Lang::Kk => {
            format!("{code} — {operator} келісімін растау коды. {m} минут жарамды. Кодты ешкімге айтпаңыз.")
        }
        Lang::Ru => format!(
            "{code} — код подтверждения согласия для {operator}. Действует {m} {}. Никому не сообщайте код.",
            russian_minutes(m)
        ),
        Lang::En => format!(
            "{code} is your code to confirm your consent to {operator}. It is valid for {m} minute{}. \
             Do not share it.",
            if m == 1 { "" } else { "s" }
        ),
    }
}

/// «минуту», «минуты» or «минут» after `n` (accusative of duration: «действует 1 минуту»).
fn russian_minutes(n: u64) -> &'static str {
    match (n % 10, n % 100) {
        (1, r) if r != 11 => "минуту",
        (2..=4, r) if !(12..=14).contains(&r) => "минуты",
        _ => "минут",
    }
}

/// What a receipt message says about one stored record.
pub struct Receipt<'a> {
    pub lang: Lang,
    /// The receipt code as shown, `ABCD-EFGH`.
    pub code: &'a str,
    pub operator: &'a str,
    pub policy_id: &'a str,
    pub policy_version: &'a str,
    /// Whether the record withdraws (its refused purposes are withdrawn).
    pub withdrawal: bool,
    pub granted: Vec<String>,
    pub refused: Vec<String>,
    /// When the decision was made, RFC 3339 UTC (the record's `collectedAt`, as the receipt on
    /// the visitor's screen gives it).
    pub decided_at: &'a str,
}

/// The receipt message.
pub fn receipt_message(r: &Receipt<'_>) -> String {
    let (title, granted, refused, withdrawn, clock) = match r.lang {
        Lang::Kk => (
            "Келісім туралы түбіртек",
            "Келісім берілді",
            "Келісім берілмеді",
            "Кері қайтарып алынды",
            "Астана уақыты",
        ),
        Lang::Ru => ("Квитанция о согласии", "Согласие дано", "Согласие не дано", "Отозвано", "время Астаны"),
        Lang::En => ("Consent receipt", "Consent given", "Consent not given", "Withdrawn", "Astana time"),
    };
    let mut text = format!("{title} {}: {}, {} ({}).", r.code, r.operator, r.policy_id, r.policy_version);
    let refused = if r.withdrawal { withdrawn } else { refused };
    for (label, titles) in [(granted, &r.granted), (refused, &r.refused)] {
        if !titles.is_empty() {
            text.push_str(&format!(" {label}: {}.", titles.join(", ")));
        }
    }
    text.push_str(&format!(" {} ({clock}).", kelisim::time::astana_minutes(r.decided_at)));
    text
}

/// A receipt code as printed: `ABCDEFGH` → `ABCD-EFGH`.
pub fn shown_code(code: &str) -> String {
    match (code.get(..4), code.get(4..)) {
        (Some(a), Some(b)) if !b.is_empty() => format!("{a}-{b}"),
        _ => code.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_message_reads_in_each_language() {
        assert_eq!(
            code_message(Lang::Kk, "123456", "«ЭСПЕРАНС-РК» ЖШС", 10),
            "123456 — «ЭСПЕРАНС-РК» ЖШС келісімін растау коды. 10 минут жарамды. Кодты ешкімге айтпаңыз."
        );
        assert_eq!(
            code_message(Lang::Ru, "123456", "ТОО «ЭСПЕРАНС-РК»", 10),
            "123456 — код подтверждения согласия для ТОО «ЭСПЕРАНС-РК». Действует 10 минут. Никому не сообщайте код."
        );
        assert_eq!(
            code_message(Lang::En, "123456", "ESPERANCE-RK LLP", 10),
            "123456 is your code to confirm your consent to ESPERANCE-RK LLP. It is valid for 10 minutes. \
             Do not share it."
        );
        assert!(code_message(Lang::En, "1", "X", 1).contains("for 1 minute."));
    }

    #[test]
    fn russian_minutes_agree_with_the_number() {
        let forms: Vec<&str> = [1, 2, 5, 11, 12, 21, 22, 25, 101].into_iter().map(russian_minutes).collect();
        assert_eq!(
            forms,
            ["минуту", "минуты", "минут", "минут", "минут", "минуту", "минуты", "минут", "минуту"]
        );
    }

    #[test]
    fn a_receipt_names_the_code_operator_edition_purposes_and_time() {
        let receipt = Receipt {
            lang: Lang::Ru,
            code: "ABCD-EFGH",
            operator: "ТОО «ЭСПЕРАНС-РК»",
            policy_id: "esperance-loyalty",
            policy_version: "2023",
            withdrawal: false,
            granted: vec!["Участие в программе лояльности".into()],
            refused: vec!["Рекламные сообщения".into()],
            decided_at: "2026-11-22T22:05:28.123Z",
        };
        assert_eq!(
            receipt_message(&receipt),
            "Квитанция о согласии ABCD-EFGH: ТОО «ЭСПЕРАНС-РК», esperance-loyalty (2023). Согласие дано: \
             Участие в программе лояльности. Согласие не дано: Рекламные сообщения. 2026-11-23 03:05 (время Астаны)."
        );
        assert_eq!(shown_code("ABCDEFGH"), "ABCD-EFGH");
    }
}
