//! The banner's own words — headings, buttons, transfer statements — in Kazakh, Russian and English.

use crate::lang::Lang;

/// A phrase of the banner's interface, as opposed to the operator's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phrase {
    /// Label of the language switcher.
    Language,
    /// Heading of the operator line.
    Operator,
    /// The abbreviation of "business identification number".
    Bin,
    /// Heading of the data list.
    DataCollected,
    /// Heading of the term.
    Term,
    /// Heading of the purposes list.
    Purposes,
    /// Badge on a required purpose.
    Required,
    /// Label before what withdrawing a purpose's consent costs, or why it cannot be withdrawn.
    IfWithdrawn,
    /// Link to the full policy.
    FullPolicy,
    /// Button: grant every purpose.
    AcceptAll,
    /// Button: grant the ticked purposes.
    AcceptSelected,
    /// Button: grant only the required purposes.
    RequiredOnly,
    /// Shown when the policy changed since the visitor's last decision.
    PolicyChanged,
    /// Button that reopens the choices after a decision.
    ManageConsent,
    /// Confirmation after a decision.
    Saved,
    /// Data go to third parties.
    ThirdPartiesYes,
    /// Data do not go to third parties.
    ThirdPartiesNo,
    /// Cross-border transfer happens.
    CrossBorderYes,
    /// No cross-border transfer.
    CrossBorderNo,
    /// Data are disseminated in public sources.
    PublicSourcesYes,
    /// Data are not disseminated in public sources.
    PublicSourcesNo,
    /// The database is in Kazakhstan.
    StoredInKazakhstanYes,
    /// Data may be stored abroad.
    StoredInKazakhstanNo,
    /// Statements that are not a choice.
    NotAChoice,
    /// Heading of the withdrawal confirmation.
    WithdrawTitle,
    /// Lead-in to the list of purposes being withdrawn.
    WithdrawIntro,
    /// Button: confirm the withdrawal.
    ConfirmWithdrawal,
    /// Button: back to the choices.
    Back,
    /// Button that shows the notice's second layer.
    MoreDetails,
    /// Button that hides it again.
    LessDetails,
    /// What an embed's placeholder says it needs, before the purpose's title.
    EmbedNeeds,
    /// The placeholder's button: grant that one purpose and show the embed.
    AllowEmbed,
}

/// The phrase in `lang`.
pub fn phrase(p: Phrase, lang: Lang) -> &'static str {
    let [kk, ru, en] = table(p);
    match lang {
        Lang::Kk => kk,
        Lang::Ru => ru,
        Lang::En => en,
    }
}

fn table(p: Phrase) -> [&'static str; 3] {
    use Phrase::*;
    match p {
        Language => ["Тіл", "Язык", "Language"],
        Operator => ["Оператор", "Оператор", "Operator"],
        Bin => ["БСН", "БИН", "BIN"],
        DataCollected => ["Жиналатын деректер", "Собираемые данные", "Data collected"],
        Term => ["Келісімнің қолданылу мерзімі", "Срок действия согласия", "Term of consent"],
        Purposes => ["Өңдеу мақсаттары", "Цели обработки", "Purposes of processing"],
        Required => ["міндетті", "обязательно", "required"],
        IfWithdrawn => {
            ["Келісімді кері қайтарып алу туралы:", "Об отзыве согласия:", "On withdrawing consent:"]
        }
        FullPolicy => ["Саясаттың толық мәтіні", "Полный текст политики", "Full text of the policy"],
        AcceptAll => ["Барлығына келісемін", "Принимаю все", "Accept all"],
        AcceptSelected => ["Белгілегенімді растаймын", "Подтверждаю отмеченное", "Confirm my choices"],
        RequiredOnly => {
            ["Тек міндеттілеріне келісемін", "Принимаю только обязательные", "Accept required only"]
        }
        PolicyChanged => [
            "Саясат жаңартылды. Келісіміңізді қайта растаңыз.",
            "Политика обновлена. Подтвердите, пожалуйста, согласие заново.",
            "The policy has changed. Please confirm your consent again.",
        ],
        ManageConsent => ["Келісімді басқару", "Управление согласием", "Manage consent"],
        Saved => ["Шешіміңіз сақталды.", "Ваше решение сохранено.", "Your choice has been saved."],
        ThirdPartiesYes => [
            "Деректер үшінші тұлғаларға берілуі мүмкін.",
            "Данные могут передаваться третьим лицам.",
            "Data may be passed to third parties.",
        ],
        ThirdPartiesNo => [
            "Деректер үшінші тұлғаларға берілмейді.",
            "Данные не передаются третьим лицам.",
            "Data are not passed to third parties.",
        ],
        CrossBorderYes => [
            "Деректер шетелге (трансшекаралық) берілуі мүмкін.",
            "Возможна трансграничная передача данных.",
            "Data may be transferred across the border.",
        ],
        CrossBorderNo => [
            "Деректер шетелге берілмейді.",
            "Трансграничная передача данных не осуществляется.",
            "Data are not transferred across the border.",
        ],
        PublicSourcesYes => [
            "Деректер жалпыға қолжетімді дереккөздерде таратылуы мүмкін.",
            "Данные могут распространяться в общедоступных источниках.",
            "Data may be disseminated in public sources.",
        ],
        PublicSourcesNo => [
            "Деректер жалпыға қолжетімді дереккөздерде таратылмайды.",
            "Данные не распространяются в общедоступных источниках.",
            "Data are not disseminated in public sources.",
        ],
        StoredInKazakhstanYes => [
            "Деректер Қазақстан Республикасының аумағында сақталады.",
            "Данные хранятся на территории Республики Казахстан.",
            "Data are stored in the Republic of Kazakhstan.",
        ],
        StoredInKazakhstanNo => [
            "Деректер Қазақстан Республикасынан тыс жерде сақталуы мүмкін.",
            "Данные могут храниться за пределами Республики Казахстан.",
            "Data may be stored outside the Republic of Kazakhstan.",
        ],
        NotAChoice => ["Назар аударыңыз", "Обратите внимание", "Please note"],
        WithdrawTitle => ["Келісімді кері қайтарып алу", "Отзыв согласия", "Withdrawing consent"],
        WithdrawIntro => [
            "Сіз мына мақсаттар бойынша келісіміңізді кері қайтарып аласыз:",
            "Вы отзываете согласие на обработку данных в следующих целях:",
            "You are withdrawing consent for these purposes:",
        ],
        ConfirmWithdrawal => ["Кері қайтарып алуды растаймын", "Подтверждаю отзыв", "Confirm withdrawal"],
        Back => ["Артқа", "Назад", "Back"],
        MoreDetails => [
            "Толығырақ: оператор, деректер, мерзім",
            "Подробнее: оператор, данные, срок",
            "Details: operator, data, term",
        ],
        LessDetails => ["Қысқаша көрсету", "Свернуть", "Show less"],
        EmbedNeeds => [
            "мұны көрсету үшін мына мақсатқа келісіміңіз қажет:",
            "чтобы показать это, нужно ваше согласие на цель",
            "to show it, your consent is needed for",
        ],
        AllowEmbed => ["Келісемін, көрсетіңіз", "Согласен, показать", "I agree, show it"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phrase_exists_in_every_language_and_differs_from_english_where_it_should() {
        use Phrase::*;
        let all = [
            Language,
            Operator,
            Bin,
            DataCollected,
            Term,
            Purposes,
            Required,
            IfWithdrawn,
            FullPolicy,
            AcceptAll,
            AcceptSelected,
            RequiredOnly,
            PolicyChanged,
            ManageConsent,
            Saved,
            ThirdPartiesYes,
            ThirdPartiesNo,
            CrossBorderYes,
            CrossBorderNo,
            PublicSourcesYes,
            PublicSourcesNo,
            StoredInKazakhstanYes,
            StoredInKazakhstanNo,
            NotAChoice,
            WithdrawTitle,
            WithdrawIntro,
            ConfirmWithdrawal,
            Back,
            MoreDetails,
            LessDetails,
            EmbedNeeds,
            AllowEmbed,
        ];
        for p in all {
            let [kk, ru, en] = table(p);
            assert!(!kk.is_empty() && !ru.is_empty() && !en.is_empty(), "{p:?}");
            if p != Operator {
                assert_ne!(kk, en, "{p:?} is not translated into Kazakh");
                assert_ne!(ru, en, "{p:?} is not translated into Russian");
            }
        }
    }
}
