//! The checker's words in Kazakh, Russian and English: its own lines, and the core's config
//! problems (written in English) matched against templates and said again in kk or ru.
//!
//! A template's `{}` holds a part of the message that varies (a language code, an id, a byte
//! offset); the translation puts it back as `{0}`, `{1}`… A varying part that is itself one of
//! the core's English phrases ("an object", "a value") is translated too.

use kelisim::lang::Lang;

/// A config problem: its English template, then Kazakh and Russian.
pub const PROBLEMS: &[[&str; 3]] = &[
    ["missing: this field is required", "көрсетілмеген: бұл өріс міндетті", "отсутствует: это поле обязательно"],
    ["expected {}, found {}", "күтілгені: {0}; берілгені: {1}", "ожидается: {0}; указано: {1}"],
    ["must not be empty", "бос болмауы керек", "не должно быть пустым"],
    [
        "unknown field: check its spelling against the config schema",
        "белгісіз өріс: атауының жазылуын конфигурация схемасымен салыстырыңыз",
        "неизвестное поле: сверьте написание со схемой конфигурации",
    ],
    [
        "not valid JSON at byte {}: expected {}",
        "жарамсыз JSON, {0}-байтта: мұнда {1} болуы керек",
        "некорректный JSON в байте {0}; ожидается: {1}",
    ],
    [
        "must be an identifier: ASCII letters, digits, '-' or '_', starting with a letter",
        "идентификатор болуы керек: латын әріптері, цифрлар, '-' немесе '_', бірінші таңбасы әріп",
        "должно быть идентификатором: латинские буквы, цифры, '-' или '_', первым символом должна быть буква",
    ],
    [
        "must be an http:// or https:// URL",
        "http:// немесе https:// мекенжайы болуы керек",
        "должно быть адресом http:// или https://",
    ],
    [
        "unknown language: use \"kk\", \"ru\" or \"en\"",
        "белгісіз тіл: \"kk\", \"ru\" немесе \"en\" деп жазыңыз",
        "неизвестный язык: укажите \"kk\", \"ru\" или \"en\"",
    ],
    ["no \"{}\" text", "\"{0}\" тіліндегі мәтін жоқ", "нет текста для языка \"{0}\""],
    [
        "listed twice or not lower-case",
        "екі рет көрсетілген немесе кіші әріппен жазылмаған",
        "указан дважды или записан не строчными буквами",
    ],
    [
        "must include \"{}\": consumer information in Kazakhstan is given in Kazakh and Russian",
        "\"{0}\" енгізілуі керек: Қазақстанда тұтынушыларға ақпарат қазақ және орыс тілдерінде беріледі",
        "должно содержать \"{0}\": информация потребителям в Казахстане предоставляется на казахском и русском языках",
    ],
    [
        "must be one of the listed languages",
        "көрсетілген тілдердің бірі болуы керек",
        "должно быть одним из перечисленных языков",
    ],
    [
        "must be an http(s) URL or a path starting with '/'",
        "http(s) мекенжайы немесе '/' белгісінен басталатын жол болуы керек",
        "должно быть адресом http(s) или путём, начинающимся с '/'",
    ],
    [
        "this config binds a signup form: load kelisim.js, the build with forms, not kelisim-banner.js",
        "бұл конфигурация тіркелу формасын байланыстырады: kelisim-banner.js емес, формалары бар kelisim.js құрастырмасын жүктеңіз",
        "эта конфигурация привязывает форму регистрации: подключите kelisim.js — сборку с формами, а не kelisim-banner.js",
    ],
    [
        "this config asks for SMS confirmation: load kelisim.js, the build with forms, not kelisim-banner.js",
        "бұл конфигурация SMS арқылы растауды талап етеді: kelisim-banner.js емес, формалары бар kelisim.js құрастырмасын жүктеңіз",
        "эта конфигурация требует подтверждения по SMS: подключите kelisim.js — сборку с формами, а не kelisim-banner.js",
    ],
    ["a BIN is required", "БСН көрсетілуі міндетті", "БИН обязателен"],
    ["a BIN has only digits", "БСН тек цифрлардан тұрады", "БИН состоит только из цифр"],
    ["a BIN is exactly 12 digits", "БСН дәл 12 цифрдан тұрады", "БИН состоит ровно из 12 цифр"],
    [
        "digits 3-4 of a BIN are the registration month, 01-12",
        "БСН-нің 3- және 4-цифрлары — тіркелу айы (01–12)",
        "3-я и 4-я цифры БИН — месяц регистрации (01–12)",
    ],
    [
        "digit 5 of a BIN is 4, 5 or 6 (legal entity type)",
        "БСН-нің 5-цифры — 4, 5 немесе 6 (заңды тұлғаның түрі)",
        "5-я цифра БИН — 4, 5 или 6 (тип юридического лица)",
    ],
    [
        "digit 6 of a BIN is 0-4 (head office, branch, representative office, farm)",
        "БСН-нің 6-цифры — 0–4 (бас ұйым, филиал, өкілдік, шаруа қожалығы)",
        "6-я цифра БИН — 0–4 (головная организация, филиал, представительство, крестьянское хозяйство)",
    ],
    [
        "the check digit does not match: check the 12 digits of the BIN",
        "бақылау цифры сәйкес келмейді: БСН-нің 12 цифрын тексеріңіз",
        "контрольная цифра не совпадает: проверьте 12 цифр БИН",
    ],
    [
        "must be a date written YYYY-MM-DD",
        "YYYY-MM-DD түрінде жазылған күн болуы керек",
        "должно быть датой в формате YYYY-MM-DD",
    ],
    [
        "duplicate data category id",
        "деректер санатының идентификаторы қайталанады",
        "идентификатор категории данных повторяется",
    ],
    [
        "must list at least one purpose",
        "кемінде бір мақсат көрсетілуі керек",
        "должна быть указана хотя бы одна цель",
    ],
    ["duplicate purpose id", "мақсат идентификаторы қайталанады", "идентификатор цели повторяется"],
    [
        "unknown data category: list it in dataCategories first",
        "белгісіз деректер санаты: алдымен оны dataCategories тізіміне қосыңыз",
        "неизвестная категория данных: сначала укажите её в dataCategories",
    ],
    [
        "a cookie or key name, or a prefix ending in *: letters, digits and !#$%&'+-.^_`|~",
        "cookie немесе кілт атауы, не * белгісімен аяқталатын префикс: әріптер, цифрлар және !#$%&'+-.^_`|~",
        "имя cookie или ключа либо префикс, оканчивающийся на *: буквы, цифры и !#$%&'+-.^_`|~",
    ],
    ["listed twice", "екі рет көрсетілген", "указан дважды"],
    [
        "not a Consent Mode signal: ad_storage, ad_user_data, ad_personalization, analytics_storage, functionality_storage, personalization_storage or security_storage",
        "Consent Mode сигналы емес: ad_storage, ad_user_data, ad_personalization, analytics_storage, functionality_storage, personalization_storage немесе security_storage",
        "не является сигналом Consent Mode: ad_storage, ad_user_data, ad_personalization, analytics_storage, functionality_storage, personalization_storage или security_storage",
    ],
    [
        "must be an ISO 3166-1 alpha-2 country code such as \"RU\"",
        "\"RU\" сияқты ISO 3166-1 alpha-2 ел коды болуы керек",
        "должно быть кодом страны ISO 3166-1 alpha-2, например \"RU\"",
    ],
    [
        "kelisim has no Kazakh, Russian and English name for \"{}\": write true and name the destinations in a notice",
        "kelisim-де \"{0}\" елінің қазақша, орысша және ағылшынша атауы жоқ: true деп жазып, деректер берілетін елдерді notices ішінде көрсетіңіз",
        "у kelisim нет казахского, русского и английского названия для \"{0}\": задайте true и перечислите страны назначения в notices",
    ],
    [
        "must be a whole number of years from 0 to 21",
        "0-ден 21-ге дейінгі бүтін жыл саны болуы керек",
        "должно быть целым числом лет от 0 до 21",
    ],
    ["duplicate field name", "өріс атауы қайталанады", "имя поля повторяется"],
    [
        "unknown kind: use iin, bin, phone, email, name, patronymic, postcode or birthDate",
        "белгісіз түр: iin, bin, phone, email, name, patronymic, postcode немесе birthDate деп жазыңыз",
        "неизвестный тип: укажите iin, bin, phone, email, name, patronymic, postcode или birthDate",
    ],
    ["must name one of the form's fields", "форма өрістерінің бірін көрсетуі керек", "должно указывать одно из полей формы"],
    [
        "must be \"sms\" (the only method so far)",
        "\"sms\" болуы керек (әзірге жалғыз тәсіл)",
        "должно быть \"sms\" (пока единственный способ)",
    ],
    [
        "must be given: the records' endpoint does not end in /consents, so the confirmations' cannot be derived from it",
        "көрсетілуі керек: жазбалардың endpoint мекенжайы /consents деп аяқталмайды, сондықтан растаулардың мекенжайын одан анықтау мүмкін емес",
        "должно быть указано: endpoint записей не оканчивается на /consents, поэтому адрес подтверждений невозможно определить на его основе",
    ],
    [
        "a form confirmed by SMS must name its phone field as form.subject",
        "SMS арқылы расталатын форма телефон өрісін form.subject ретінде көрсетуі керек",
        "форма с подтверждением по SMS должна указать своё поле телефона в form.subject",
    ],
    [
        "a field of kind \"{}\" collects data that no category names: add a category with id \"{}\" (or {}) to dataCategories and to the data of the purposes that use it",
        "\"{0}\" түріндегі өріс ешбір санатта көрсетілмеген деректерді жинайды: dataCategories тізіміне және оны пайдаланатын мақсаттардың data тізіміне \"{1}\" (немесе {2}) идентификаторы бар санат қосыңыз",
        "поле типа \"{0}\" собирает данные, не указанные ни в одной категории: добавьте категорию с id \"{1}\" (или {2}) в dataCategories и в data целей, которые её используют",
    ],
    [
        "a field of kind \"{}\" collects data that no category names: add a category with id \"{}\" to dataCategories and to the data of the purposes that use it",
        "\"{0}\" түріндегі өріс ешбір санатта көрсетілмеген деректерді жинайды: dataCategories тізіміне және оны пайдаланатын мақсаттардың data тізіміне \"{1}\" идентификаторы бар санат қосыңыз",
        "поле типа \"{0}\" собирает данные, не указанные ни в одной категории: добавьте категорию с id \"{1}\" в dataCategories и в data целей, которые её используют",
    ],
    [
        "no purpose uses \"{}\": add it to the data of the purposes that use it, or remove the category",
        "\"{0}\" санатын ешбір мақсат пайдаланбайды: оны пайдаланатын мақсаттардың data тізіміне қосыңыз немесе санатты алып тастаңыз",
        "категорию \"{0}\" не использует ни одна цель: добавьте её в data целей, которые её используют, или удалите категорию",
    ],
];

/// The core's phrases that fill a template's `{}`: what a value should be or was, and what the
/// JSON reader expected where it stopped.
pub const PHRASES: &[[&str; 3]] = &[
    ["an object", "объект", "объект"],
    ["an array", "массив", "массив"],
    ["a string", "жол (string)", "строка"],
    ["a number", "сан", "число"],
    ["a boolean", "логикалық мән", "логическое значение"],
    ["null", "null", "null"],
    ["true or false", "true немесе false", "true или false"],
    ["a whole number", "бүтін сан", "целое число"],
    ["an object of texts by language", "тілдер бойынша мәтіндер объектісі", "объект с текстами по языкам"],
    [
        "true, false or a list of country codes",
        "true, false немесе ел кодтарының тізімі",
        "true, false или список кодов стран",
    ],
    ["end of input", "мәтіннің соңы", "конец текста"],
    ["less nesting", "кірістіру тереңдігі азырақ", "меньшая вложенность"],
    ["a value", "мән", "значение"],
    ["a member name in quotes", "тырнақшадағы өріс атауы", "имя поля в кавычках"],
    ["no duplicate member names", "қайталанбайтын өріс атаулары", "неповторяющиеся имена полей"],
    ["',' or '}'", "',' немесе '}'", "',' или '}'"],
    ["',' or ']'", "',' немесе ']'", "',' или ']'"],
    ["digits after '.'", "'.' белгісінен кейін цифрлар", "цифры после '.'"],
    ["exponent digits", "дәреже көрсеткішінің цифрлары", "цифры порядка"],
    ["a closing quote", "жабатын тырнақша", "закрывающая кавычка"],
    [
        "no raw control characters in a string",
        "экрандалмаған басқару таңбаларынсыз жол",
        "строка без неэкранированных управляющих символов",
    ],
    ["an escape", "экрандау тізбегі", "escape-последовательность"],
    ["a valid escape", "жарамды экрандау тізбегі", "допустимая escape-последовательность"],
    ["four hex digits", "төрт он алтылық цифр", "четыре шестнадцатеричные цифры"],
    ["a low surrogate escape", "төменгі суррогаттың экрандауы", "экранированный младший суррогат"],
    ["a low surrogate", "төменгі суррогат", "младший суррогат"],
    ["a valid code point", "жарамды таңба коды", "допустимый код символа"],
];

/// The checker's own lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Line {
    /// After a file with no problem.
    Clean,
    /// After a file with problems, before their count.
    Problems,
    /// Before the path of a language's preview.
    Preview,
    /// Before a file that cannot be read or written.
    Unreadable,
    /// The last line when every file is clean.
    AllClean,
    /// The last line when some file has problems, before their count.
    Total,
    /// The title of a preview page.
    PreviewOf,
    /// The heading of the notice as first shown.
    FirstLayer,
    /// The heading of the notice with its details opened.
    Expanded,
}

/// A line of the checker in `lang`.
pub fn line(line: Line, lang: Lang) -> &'static str {
    let [kk, ru, en] = match line {
        Line::Clean => ["қатесі жоқ", "ошибок нет", "ok"],
        Line::Problems => ["қате саны:", "ошибок:", "problems:"],
        Line::Preview => ["алдын ала көрінісі:", "предпросмотр:", "preview:"],
        Line::Unreadable => {
            ["оқу немесе жазу мүмкін емес:", "не удаётся прочитать или записать:", "cannot read or write:"]
        }
        Line::AllClean => {
            ["барлық конфигурация дұрыс", "все конфигурации в порядке", "every config is clean"]
        }
        Line::Total => ["қателердің жалпы саны:", "всего ошибок:", "problems in all:"],
        Line::PreviewOf => ["Хабарламаның алдын ала көрінісі", "Предпросмотр уведомления", "Notice preview"],
        Line::FirstLayer => ["Бастапқы көрінісі", "Первоначальный вид", "As first shown"],
        Line::Expanded => {
            ["Толық мәліметі ашылғанда", "С раскрытыми подробностями", "With the details opened"]
        }
    };
    match lang {
        Lang::Kk => kk,
        Lang::Ru => ru,
        Lang::En => en,
    }
}

/// `problem`, one of the core's English config problems, said in `lang`; as it is when no
/// template matches (a problem added to the core without a translation here: a test catches it).
pub fn problem(problem: &str, lang: Lang) -> String {
    translated(problem, lang).unwrap_or_else(|| problem.to_owned())
}

/// `problem` in `lang`, if a template matches the whole of it.
pub fn translated(problem: &str, lang: Lang) -> Option<String> {
    if lang == Lang::En {
        return Some(problem.to_owned());
    }
    PROBLEMS.iter().find_map(|row| {
        let holes = matched(row[0], problem)?;
        let mut out = in_lang(row, lang).to_owned();
        for (i, hole) in holes.iter().enumerate() {
            let phrase = PHRASES.iter().find(|p| p[0] == *hole).map_or(*hole, |p| in_lang(p, lang));
            out = out.replace(&format!("{{{i}}}"), phrase);
        }
        Some(out)
    })
}

fn in_lang<'a>(row: &[&'a str; 3], lang: Lang) -> &'a str {
    match lang {
        Lang::Kk => row[1],
        Lang::Ru => row[2],
        Lang::En => row[0],
    }
}

/// The parts of `message` that fill the `{}` of `template`, if it matches the whole message: each
/// hole takes text up to the first place the template's next part follows (the last, to the end).
fn matched<'m>(template: &str, message: &'m str) -> Option<Vec<&'m str>> {
    let mut parts = template.split("{}");
    let first = parts.next().unwrap_or_default();
    let mut rest = message.strip_prefix(first)?;
    let parts: Vec<&str> = parts.collect();
    if parts.is_empty() {
        return rest.is_empty().then(Vec::new);
    }
    let mut holes = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let end = if i + 1 == parts.len() {
            rest.strip_suffix(part).map(str::len)
        } else if part.is_empty() {
            None
        } else {
            rest.find(part)
        }?;
        holes.push(&rest[..end]);
        rest = &rest[end + part.len()..];
    }
    (!holes.iter().any(|h| h.is_empty())).then_some(holes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_takes_its_holes_and_translates_the_phrases_in_them() {
        let ru = translated("expected an object, found a string", Lang::Ru).unwrap();
        assert_eq!(ru, "ожидается: объект; указано: строка");
        let kk = translated("not valid JSON at byte 15: expected a value", Lang::Kk).unwrap();
        assert_eq!(kk, "жарамсыз JSON, 15-байтта: мұнда мән болуы керек");
        assert_eq!(translated("no \"en\" text", Lang::Kk).unwrap(), "\"en\" тіліндегі мәтін жоқ");
    }

    #[test]
    fn the_longer_coverage_template_is_tried_first_and_the_short_one_still_matches() {
        let many = "a field of kind \"phone\" collects data that no category names: add a category with id \
                    \"phone\" (or \"contacts\", \"subscriberNumber\") to dataCategories and to the data of the \
                    purposes that use it";
        assert!(translated(many, Lang::Ru)
            .unwrap()
            .contains("id \"phone\" (или \"contacts\", \"subscriberNumber\")"));
        let one = many
            .replace(" (or \"contacts\", \"subscriberNumber\")", "")
            .replace("\"phone\" collects", "\"iin\" collects");
        assert!(translated(&one, Lang::Kk).unwrap().contains("\"iin\" түріндегі"));
    }

    #[test]
    fn a_message_no_template_covers_is_left_as_it_is() {
        assert_eq!(translated("something new", Lang::Kk), None);
        assert_eq!(problem("something new", Lang::Ru), "something new");
        assert_eq!(translated("must not be empty!", Lang::Ru), None, "a template matches the whole message");
    }

    #[test]
    fn every_translation_has_the_holes_of_its_template_and_no_other() {
        for row in PROBLEMS {
            let holes = row[0].matches("{}").count();
            for target in &row[1..] {
                for i in 0..holes {
                    assert_eq!(target.matches(&format!("{{{i}}}")).count(), 1, "{{{i}}} in {target}");
                }
                assert!(!target.contains(&format!("{{{holes}}}")) && !target.contains("{}"), "{target}");
            }
        }
    }

    /// The core's files that word config problems; each string literal in them (outside their
    /// tests) that reads as words must be part of a template or a phrase here.
    const SOURCES: &[&str] = &[
        "src/config/read/mod.rs",
        "src/config/read/form.rs",
        "src/config/read/confirm.rs",
        "src/config/coverage.rs",
        "src/json/read.rs",
        "src/json/mod.rs",
        "src/validate/bin.rs",
    ];

    /// Pieces that assemble a message and are not words of their own.
    const NOT_A_PROBLEM: &[&str] = &[
        "config: ",  // the prefix of ConfigError::message
        "\" (or \"", // a piece of the coverage message's list of ids
        "\", \"",    // likewise
    ];

    #[test]
    fn every_problem_the_core_can_word_has_a_kazakh_and_a_russian_translation() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let pieces: Vec<&str> = PROBLEMS.iter().flat_map(|row| row[0].split("{}")).collect();
        let mut checked = 0;
        for file in SOURCES {
            let text = std::fs::read_to_string(root.join(file)).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap().split("#[cfg(all(test").next().unwrap();
            for literal in literals(code) {
                let words =
                    literal.chars().filter(char::is_ascii_alphabetic).count() >= 2 && literal.contains(' ');
                if !words || NOT_A_PROBLEM.contains(&literal.as_str()) {
                    continue;
                }
                checked += 1;
                let known = pieces.iter().any(|p| p.contains(literal.as_str()))
                    || PHRASES.iter().any(|p| p[0] == literal);
                assert!(known, "{file}: {literal:?} has no template in check/words.rs");
            }
        }
        assert!(checked > 50, "the scan reads the sources ({checked} literals)");
    }

    /// The string literals of Rust source, unescaped (`\` + newline + indentation joined).
    fn literals(code: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut chars = code.chars().peekable();
        let mut previous = ' ';
        while let Some(c) = chars.next() {
            if c == '/' && chars.peek() == Some(&'/') {
                chars.by_ref().take_while(|c| *c != '\n').for_each(drop);
                previous = '\n';
                continue;
            }
            // A char literal such as '"' or b'"' is not the start of a string.
            if c != '"' || previous == '\'' {
                previous = c;
                continue;
            }
            let mut literal = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => match chars.next() {
                        Some('n') => literal.push('\n'),
                        Some('\n') => {
                            while chars.peek().is_some_and(|c| c.is_whitespace()) {
                                chars.next();
                            }
                        }
                        Some(other) => literal.push(other),
                        None => {}
                    },
                    c => literal.push(c),
                }
            }
            out.push(literal);
            previous = '"';
        }
        out
    }
}
