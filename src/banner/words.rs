//! The words of the form build's extra steps — SMS confirmation, the receipt, the kiosk — in
//! Kazakh, Russian and English; kept apart from [`crate::i18n`] so the banner build carries none.

use crate::lang::Lang;

/// A phrase of the SMS step, the receipt or the kiosk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Word {
    /// Heading of the SMS step.
    SmsTitle,
    /// What the SMS step is for.
    SmsIntro,
    /// Label of the phone input.
    PhoneLabel,
    /// Button: send a code.
    SendCode,
    /// Before the number the code went to.
    CodeSentTo,
    /// Label of the code input.
    CodeLabel,
    /// Button: check the code.
    CheckCode,
    /// Button: send a new code.
    SendAgain,
    /// While the collector answers.
    Wait,
    /// The phone is not a Kazakh mobile number.
    PhoneInvalid,
    /// The code is not six digits.
    CodeFormat,
    /// Wrong code, before the attempts left.
    WrongCode,
    /// The code expired.
    Expired,
    /// No attempts left for this code.
    TooManyAttempts,
    /// Too many codes for this number.
    TooManyCodes,
    /// The service could not be reached or could not send.
    Unavailable,
    /// Button that opens the receipt.
    Receipt,
    /// Heading of the receipt.
    ReceiptTitle,
    /// Label of the receipt code.
    ReceiptCode,
    /// What the code is for.
    ReceiptCodeHint,
    /// Label of the policy's title.
    Policy,
    /// Label of the policy edition.
    PolicyEdition,
    /// Label of the time of the decision.
    DecidedAt,
    /// After the time: which clock it is.
    AstanaTime,
    /// Label of the record id.
    RecordId,
    /// A purpose consented to.
    Granted,
    /// A purpose refused.
    Refused,
    /// The decision was confirmed by an SMS code.
    ConfirmedBySms,
    /// Button: print the receipt.
    Print,
    /// Button: save the receipt as a file.
    Save,
    /// Button: send the receipt by SMS.
    SmsReceipt,
    /// The receipt went by SMS.
    ReceiptSent,
    /// The receipt could not go by SMS.
    ReceiptNotSent,
    /// Button: close the receipt.
    Close,
    /// The kiosk's thanks after a decision.
    Thanks,
    /// The kiosk asks for the tablet back.
    HandBack,
    /// Button: clear the kiosk for the next customer.
    NextCustomer,
}

/// The word in `lang`.
pub fn word(w: Word, lang: Lang) -> &'static str {
    let [kk, ru, en] = table(w);
    match lang {
        Lang::Kk => kk,
        Lang::Ru => ru,
        Lang::En => en,
    }
}

fn table(w: Word) -> [&'static str; 3] {
    use Word::*;
    match w {
        SmsTitle => ["Келісімді SMS арқылы растау", "Подтверждение согласия по SMS", "Confirm your consent by SMS"],
        SmsIntro => [
            "Шешіміңізді растау үшін телефоныңызға бір реттік код жібереміз. Шешім код енгізілгеннен кейін ғана сақталады.",
            "Чтобы подтвердить решение, мы отправим на ваш телефон одноразовый код. Решение сохранится только после ввода кода.",
            "To confirm your choice we will send a one-time code to your phone. Your choice is saved only once you enter it.",
        ],
        PhoneLabel => ["Ұялы телефон нөмірі", "Номер мобильного телефона", "Mobile phone number"],
        SendCode => ["Код жіберу", "Отправить код", "Send the code"],
        CodeSentTo => ["Код мына нөмірге жіберілді:", "Код отправлен на номер", "The code was sent to"],
        CodeLabel => ["SMS арқылы келген 6 таңбалы код", "6-значный код из SMS", "The 6-digit code from the SMS"],
        CheckCode => ["Растау", "Подтвердить", "Confirm"],
        SendAgain => ["Кодты қайта жіберу", "Отправить код ещё раз", "Send a new code"],
        Wait => ["Күте тұрыңыз…", "Подождите…", "Please wait…"],
        PhoneInvalid => [
            "Қазақстандық ұялы телефон нөмірін енгізіңіз, мысалы +7 701 234 56 78.",
            "Введите казахстанский номер мобильного телефона, например +7 701 234 56 78.",
            "Enter a Kazakh mobile number, e.g. +7 701 234 56 78.",
        ],
        CodeFormat => ["Код 6 цифрдан тұрады.", "Код состоит из 6 цифр.", "The code has 6 digits."],
        WrongCode => ["Код қате. Қалған әрекет саны:", "Неверный код. Осталось попыток:", "Wrong code. Attempts left:"],
        Expired => [
            "Кодтың мерзімі өтті. Жаңа код сұраңыз.",
            "Срок действия кода истёк. Запросите новый код.",
            "The code has expired. Ask for a new one.",
        ],
        TooManyAttempts => [
            "Бұл кодпен әрекет саны таусылды. Жаңа код сұраңыз.",
            "Попытки для этого кода закончились. Запросите новый код.",
            "No attempts are left for this code. Ask for a new one.",
        ],
        TooManyCodes => [
            "Бұл нөмірге тым көп код жіберілді. Біраз уақыттан кейін қайталаңыз.",
            "На этот номер отправлено слишком много кодов. Повторите попытку позже.",
            "Too many codes have been sent to this number. Please try again later.",
        ],
        Unavailable => [
            "Қызметпен байланыс орнамады. Интернетті тексеріп, қайталап көріңіз.",
            "Не удалось связаться с сервисом. Проверьте интернет и повторите попытку.",
            "The service could not be reached. Check your connection and try again.",
        ],
        Receipt => ["Түбіртек", "Квитанция", "Receipt"],
        ReceiptTitle => ["Келісім туралы түбіртек", "Квитанция о согласии", "Consent receipt"],
        ReceiptCode => ["Түбіртек коды", "Код квитанции", "Receipt code"],
        ReceiptCodeHint => [
            "Байланыс орталығына хабарласқанда осы кодты айтыңыз.",
            "Назовите этот код, когда обратитесь в контакт-центр.",
            "Give this code when you contact the call centre.",
        ],
        Policy => ["Саясат", "Политика", "Policy"],
        PolicyEdition => ["Саясат редакциясы", "Редакция политики", "Policy edition"],
        DecidedAt => ["Шешім уақыты", "Время решения", "Decided at"],
        AstanaTime => ["Астана уақыты", "время Астаны", "Astana time"],
        RecordId => ["Жазба нөмірі", "Номер записи", "Record number"],
        Granted => ["келісім берілді", "согласие дано", "consent given"],
        Refused => ["келісім берілмеді", "согласие не дано", "consent not given"],
        ConfirmedBySms => ["SMS кодымен расталды.", "Подтверждено кодом из SMS.", "Confirmed with a code sent by SMS."],
        Print => ["Басып шығару", "Распечатать", "Print"],
        Save => ["Файлға сақтау", "Сохранить в файл", "Save as a file"],
        SmsReceipt => ["SMS арқылы жіберу", "Отправить по SMS", "Send by SMS"],
        ReceiptSent => ["Түбіртек SMS арқылы жіберілді.", "Квитанция отправлена по SMS.", "The receipt was sent by SMS."],
        ReceiptNotSent => [
            "Түбіртекті жіберу мүмкін болмады. Кейінірек қайталаңыз.",
            "Не удалось отправить квитанцию. Повторите позже.",
            "The receipt could not be sent. Please try later.",
        ],
        Close => ["Жабу", "Закрыть", "Close"],
        Thanks => ["Рақмет! Келісіміңіз сақталды.", "Спасибо! Ваше согласие сохранено.", "Thank you! Your consent has been saved."],
        HandBack => [
            "Планшетті кеңесшіге қайтарыңыз.",
            "Пожалуйста, верните планшет консультанту.",
            "Please hand the tablet back to the consultant.",
        ],
        NextCustomer => ["Келесі клиент", "Следующий клиент", "Next customer"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_translated() {
        use Word::*;
        let all = [
            SmsTitle,
            SmsIntro,
            PhoneLabel,
            SendCode,
            CodeSentTo,
            CodeLabel,
            CheckCode,
            SendAgain,
            Wait,
            PhoneInvalid,
            CodeFormat,
            WrongCode,
            Expired,
            TooManyAttempts,
            TooManyCodes,
            Unavailable,
            Receipt,
            ReceiptTitle,
            ReceiptCode,
            ReceiptCodeHint,
            PolicyEdition,
            DecidedAt,
            AstanaTime,
            RecordId,
            Granted,
            Refused,
            ConfirmedBySms,
            Print,
            Save,
            SmsReceipt,
            ReceiptSent,
            ReceiptNotSent,
            Close,
            Thanks,
            HandBack,
            NextCustomer,
        ];
        for w in all {
            let [kk, ru, en] = table(w);
            assert!(!kk.is_empty() && kk != en && ru != en && kk != ru, "{w:?}");
        }
    }
}
