//! What each field error says to the visitor, in Kazakh, Russian and English: specific, and saying
//! what to do — never "invalid input".

use super::Code;
use crate::lang::Lang;

/// The visitor-facing message for a check's outcome; empty for [`Code::Ok`].
pub fn message(code: Code, lang: Lang) -> &'static str {
    let [kk, ru, en] = table(code);
    match lang {
        Lang::Kk => kk,
        Lang::Ru => ru,
        Lang::En => en,
    }
}

fn table(code: Code) -> [&'static str; 3] {
    match code {
        Code::Ok => ["", "", ""],
        Code::IinEmpty => ["ЖСН-ді енгізіңіз.", "Введите ИИН.", "Enter your IIN."],
        Code::IinNotDigits => ["ЖСН тек цифрлардан тұрады.", "ИИН состоит только из цифр.", "An IIN has digits only."],
        Code::IinLength => [
            "ЖСН 12 цифрдан тұрады: барлық цифрлар енгізілгенін тексеріңіз.",
            "ИИН состоит из 12 цифр: проверьте, все ли цифры введены.",
            "An IIN has 12 digits: check that you typed them all.",
        ],
        Code::IinCheckDigit => [
            "Бақылау цифры сәйкес келмейді: ЖСН-нің 12 цифрын тексеріңіз.",
            "Контрольная цифра не совпадает: проверьте 12 цифр ИИН.",
            "The check digit does not match: check the 12 digits of your IIN.",
        ],
        Code::IinUnusualDate => [
            "ЖСН қабылданды. Оның алғашқы цифрлары күнтізбелік күнді құрамайды — 2013 жылдан бері берілген ЖСН-дер үшін бұл рұқсат етіледі.",
            "ИИН принят. Его первые цифры не образуют календарную дату — для ИИН, выданных с 2013 года, это допустимо.",
            "IIN accepted. Its first digits do not form a calendar date, which is allowed for IINs issued since 2013.",
        ],
        Code::BinEmpty => ["БСН-ді енгізіңіз.", "Введите БИН.", "Enter the BIN."],
        Code::BinNotDigits => ["БСН тек цифрлардан тұрады.", "БИН состоит только из цифр.", "A BIN has digits only."],
        Code::BinLength => ["БСН 12 цифрдан тұрады.", "БИН состоит из 12 цифр.", "A BIN has 12 digits."],
        Code::BinMonth => [
            "БСН-нің 3–4-цифрлары — тіркелген ай (01–12): БСН-ді тексеріңіз.",
            "3–4-я цифры БИН — месяц регистрации (01–12): проверьте БИН.",
            "Digits 3–4 of a BIN are the registration month (01–12): check the BIN.",
        ],
        Code::BinEntityType => [
            "БСН-нің 5-цифры 4, 5 немесе 6 болуы тиіс: БСН-ді тексеріңіз.",
            "5-я цифра БИН должна быть 4, 5 или 6: проверьте БИН.",
            "Digit 5 of a BIN is 4, 5 or 6: check the BIN.",
        ],
        Code::BinUnit => [
            "БСН-нің 6-цифры 0-ден 4-ке дейін болуы тиіс: БСН-ді тексеріңіз.",
            "6-я цифра БИН должна быть от 0 до 4: проверьте БИН.",
            "Digit 6 of a BIN is 0 to 4: check the BIN.",
        ],
        Code::BinCheckDigit => [
            "Бақылау цифры сәйкес келмейді: БСН-нің 12 цифрын тексеріңіз.",
            "Контрольная цифра не совпадает: проверьте 12 цифр БИН.",
            "The check digit does not match: check the 12 digits of the BIN.",
        ],
        Code::PhoneEmpty => ["Телефон нөмірін енгізіңіз.", "Введите номер телефона.", "Enter your phone number."],
        Code::PhoneChars => [
            "Нөмірде тек цифрлар, бос орын, жақша, сызықша және басында «+» болуы мүмкін.",
            "В номере допустимы только цифры, пробелы, скобки, дефисы и «+» в начале.",
            "A phone number has only digits, spaces, brackets, hyphens and a leading “+”.",
        ],
        Code::PhoneLength => [
            "Нөмір толық емес немесе тым ұзын: +7 және 10 цифр енгізіңіз, мысалы +7 701 234 56 78.",
            "Номер неполный или слишком длинный: введите +7 и 10 цифр, например +7 701 234 56 78.",
            "The number is incomplete or too long: enter +7 and 10 digits, e.g. +7 701 234 56 78.",
        ],
        Code::PhoneNotKazakhstan => [
            "Бұл Қазақстанның нөмірі емес: +7 7… немесе 8 7… деп басталатын нөмір енгізіңіз.",
            "Это не казахстанский номер: введите номер, начинающийся с +7 7… или 8 7….",
            "This is not a Kazakhstani number: enter one starting +7 7… or 8 7….",
        ],
        Code::PhoneNotInUse => [
            "Қазақстанда мұндай кодпен басталатын нөмір жоқ: алғашқы цифрларды тексеріңіз.",
            "В Казахстане нет номеров с таким кодом: проверьте первые цифры.",
            "No Kazakhstani numbers start like this: check the first digits.",
        ],
        Code::PhoneLandline => [
            "Қалалық емес, ұялы телефон нөмірін енгізіңіз (мысалы +7 701…).",
            "Введите номер мобильного, а не городского телефона (например +7 701…).",
            "Enter a mobile number (e.g. +7 701…), not a landline.",
        ],
        Code::EmailEmpty => [
            "Электрондық пошта мекенжайын енгізіңіз.",
            "Введите адрес электронной почты.",
            "Enter your e-mail address.",
        ],
        Code::EmailAt => [
            "Мекенжайда бір «@» белгісі болуы тиіс, мысалы aigerim@mail.kz.",
            "В адресе должен быть один знак «@», например aigerim@mail.kz.",
            "An address has one “@”, e.g. aigerim@mail.kz.",
        ],
        Code::EmailLocal => [
            "«@» белгісіне дейінгі бөлікті тексеріңіз: онда бос орын және қатар тұрған екі нүкте болмауы тиіс.",
            "Проверьте часть адреса до «@»: в ней не должно быть пробелов и двух точек подряд.",
            "Check the part before “@”: no spaces and no two dots in a row.",
        ],
        Code::EmailDomain => [
            "«@» белгісінен кейінгі доменді тексеріңіз, мысалы mail.kz.",
            "Проверьте домен после «@», например mail.kz.",
            "Check the domain after “@”, e.g. mail.kz.",
        ],
        Code::EmailTooLong => ["Мекенжай тым ұзын.", "Адрес слишком длинный.", "The address is too long."],
        Code::NameEmpty => ["Осы өрісті толтырыңыз.", "Заполните это поле.", "Please fill in this field."],
        Code::NameChars => [
            "Тек әріптер, сызықша, апостроф және бос орын қолданылады.",
            "Допустимы только буквы, дефис, апостроф и пробел.",
            "Use letters, hyphens, apostrophes and spaces only.",
        ],
        Code::NameMixedScript => [
            "Бір сөзде кирилл және латын әріптері араласқан: пернетақта тілін тексеріңіз (мысалы, кирилл «а» орнына латын «a» терілген).",
            "В одном слове смешаны кириллица и латиница: проверьте раскладку (например, латинская «a» вместо кириллической «а»).",
            "One word mixes Cyrillic and Latin letters: check the keyboard layout (e.g. a Latin “a” in a Cyrillic name).",
        ],
        Code::NameShape => [
            "Сызықша немесе апостроф сөздің басында не соңында тұр, не қатарынан екі рет жазылған.",
            "Дефис или апостроф стоит в начале или в конце слова либо повторяется два раза подряд.",
            "A hyphen or apostrophe is at the start or end of a word, or doubled.",
        ],
        Code::NameTooLong => [
            "Тым ұзын: 64 таңбадан аспауы тиіс.",
            "Слишком длинно: не более 64 символов.",
            "Too long: at most 64 characters.",
        ],
        Code::PostcodeEmpty => ["Пошта индексін енгізіңіз.", "Введите почтовый индекс.", "Enter the postcode."],
        Code::PostcodeFormat => [
            "Индекс 6 цифрдан (050000) немесе жаңа үлгідегі 7 таңбадан (A15C9K0) тұрады.",
            "Индекс — это 6 цифр (050000) или 7 знаков нового образца (A15C9K0).",
            "A postcode is 6 digits (050000) or 7 characters of the new form (A15C9K0).",
        ],
        Code::BirthDateEmpty => ["Туған күніңізді енгізіңіз.", "Введите дату рождения.", "Enter your date of birth."],
        Code::BirthDateFormat => [
            "Күнді КК.АА.ЖЖЖЖ түрінде енгізіңіз, мысалы 31.01.1990.",
            "Введите дату в виде ДД.ММ.ГГГГ, например 31.01.1990.",
            "Enter the date as DD.MM.YYYY, e.g. 31.01.1990.",
        ],
        Code::BirthDateImpossible => [
            "Мұндай күн жоқ: күн мен айды тексеріңіз.",
            "Такой даты не существует: проверьте день и месяц.",
            "There is no such date: check the day and month.",
        ],
        Code::BirthDateFuture => [
            "Туған күн болашақта болуы мүмкін емес.",
            "Дата рождения не может быть в будущем.",
            "A date of birth cannot be in the future.",
        ],
        Code::BirthDateTooOld => [
            "Жылды тексеріңіз: бұл 120 жылдан астам уақыт бұрын.",
            "Проверьте год: это больше 120 лет назад.",
            "Check the year: that is more than 120 years ago.",
        ],
        Code::BirthDateMinor => [
            "Өз бетіңізше тіркелу үшін жасыңыз жетпейді: келісімді заңды өкіліңіз (ата-анаңыз, қорғаншыңыз немесе қамқоршыңыз) беруі тиіс.",
            "Вы не достигли возраста, с которого можно зарегистрироваться самостоятельно: согласие должен дать ваш законный представитель (родитель, опекун или попечитель).",
            "You are below the age to register on your own: your legal representative (a parent, guardian or trustee) must give the consent.",
        ],
        Code::BirthDateMinorWarning => [
            "Сіз 18 жасқа толмағансыз: заңды өкіліңіздің (ата-анаңыздың, қорғаншыңыздың немесе қамқоршыңыздың) келісімі қажет.",
            "Вам нет 18 лет: нужно согласие вашего законного представителя (родителя, опекуна или попечителя).",
            "You are under 18: your legal representative (a parent, guardian or trustee) must agree as well.",
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_own_message_in_every_language() {
        for code in Code::ALL {
            let [kk, ru, en] = table(code);
            assert!(!kk.is_empty() && !ru.is_empty() && !en.is_empty(), "{code:?}");
            assert_ne!(kk, en, "{code:?} is not in Kazakh");
            assert_ne!(ru, en, "{code:?} is not in Russian");
            let others = Code::ALL.iter().filter(|c| **c != code);
            assert!(others.map(|c| table(*c)).all(|t| t != [kk, ru, en]), "{code:?} has its own message");
        }
        assert_eq!(message(Code::Ok, Lang::Kk), "");
    }
}
