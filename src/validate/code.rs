//! The outcome codes of the field checks: stable names (`iin.checkDigit`) a page can rely on,
//! each with its message in every language (`messages`).

/// What a field check found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// The value is fine.
    Ok,
    /// `iin.empty`.
    IinEmpty,
    /// `iin.notDigits`.
    IinNotDigits,
    /// `iin.length`.
    IinLength,
    /// `iin.checkDigit`.
    IinCheckDigit,
    /// `iin.unusualDate`.
    IinUnusualDate,
    /// `bin.empty`.
    BinEmpty,
    /// `bin.notDigits`.
    BinNotDigits,
    /// `bin.length`.
    BinLength,
    /// `bin.month`.
    BinMonth,
    /// `bin.entityType`.
    BinEntityType,
    /// `bin.unit`.
    BinUnit,
    /// `bin.checkDigit`.
    BinCheckDigit,
    /// `phone.empty`.
    PhoneEmpty,
    /// `phone.chars`.
    PhoneChars,
    /// `phone.length`.
    PhoneLength,
    /// `phone.notKazakhstan`.
    PhoneNotKazakhstan,
    /// `phone.notInUse`.
    PhoneNotInUse,
    /// `phone.landline`.
    PhoneLandline,
    /// `email.empty`.
    EmailEmpty,
    /// `email.at`.
    EmailAt,
    /// `email.local`.
    EmailLocal,
    /// `email.domain`.
    EmailDomain,
    /// `email.tooLong`.
    EmailTooLong,
    /// `name.empty`.
    NameEmpty,
    /// `name.chars`.
    NameChars,
    /// `name.mixedScript`.
    NameMixedScript,
    /// `name.shape`.
    NameShape,
    /// `name.tooLong`.
    NameTooLong,
    /// `postcode.empty`.
    PostcodeEmpty,
    /// `postcode.format`.
    PostcodeFormat,
    /// `birthDate.empty`.
    BirthDateEmpty,
    /// `birthDate.format`.
    BirthDateFormat,
    /// `birthDate.impossible`.
    BirthDateImpossible,
    /// `birthDate.future`.
    BirthDateFuture,
    /// `birthDate.tooOld`.
    BirthDateTooOld,
    /// `birthDate.minor`.
    BirthDateMinor,
    /// `birthDate.minorWarning`.
    BirthDateMinorWarning,
}

impl Code {
    /// Every code but [`Code::Ok`], in a fixed order.
    pub const ALL: [Code; 37] = [
        Code::IinEmpty,
        Code::IinNotDigits,
        Code::IinLength,
        Code::IinCheckDigit,
        Code::IinUnusualDate,
        Code::BinEmpty,
        Code::BinNotDigits,
        Code::BinLength,
        Code::BinMonth,
        Code::BinEntityType,
        Code::BinUnit,
        Code::BinCheckDigit,
        Code::PhoneEmpty,
        Code::PhoneChars,
        Code::PhoneLength,
        Code::PhoneNotKazakhstan,
        Code::PhoneNotInUse,
        Code::PhoneLandline,
        Code::EmailEmpty,
        Code::EmailAt,
        Code::EmailLocal,
        Code::EmailDomain,
        Code::EmailTooLong,
        Code::NameEmpty,
        Code::NameChars,
        Code::NameMixedScript,
        Code::NameShape,
        Code::NameTooLong,
        Code::PostcodeEmpty,
        Code::PostcodeFormat,
        Code::BirthDateEmpty,
        Code::BirthDateFormat,
        Code::BirthDateImpossible,
        Code::BirthDateFuture,
        Code::BirthDateTooOld,
        Code::BirthDateMinor,
        Code::BirthDateMinorWarning,
    ];

    /// The stable name: `ok`, `iin.checkDigit`, `phone.notInUse`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Ok => "ok",
            Code::IinEmpty => "iin.empty",
            Code::IinNotDigits => "iin.notDigits",
            Code::IinLength => "iin.length",
            Code::IinCheckDigit => "iin.checkDigit",
            Code::IinUnusualDate => "iin.unusualDate",
            Code::BinEmpty => "bin.empty",
            Code::BinNotDigits => "bin.notDigits",
            Code::BinLength => "bin.length",
            Code::BinMonth => "bin.month",
            Code::BinEntityType => "bin.entityType",
            Code::BinUnit => "bin.unit",
            Code::BinCheckDigit => "bin.checkDigit",
            Code::PhoneEmpty => "phone.empty",
            Code::PhoneChars => "phone.chars",
            Code::PhoneLength => "phone.length",
            Code::PhoneNotKazakhstan => "phone.notKazakhstan",
            Code::PhoneNotInUse => "phone.notInUse",
            Code::PhoneLandline => "phone.landline",
            Code::EmailEmpty => "email.empty",
            Code::EmailAt => "email.at",
            Code::EmailLocal => "email.local",
            Code::EmailDomain => "email.domain",
            Code::EmailTooLong => "email.tooLong",
            Code::NameEmpty => "name.empty",
            Code::NameChars => "name.chars",
            Code::NameMixedScript => "name.mixedScript",
            Code::NameShape => "name.shape",
            Code::NameTooLong => "name.tooLong",
            Code::PostcodeEmpty => "postcode.empty",
            Code::PostcodeFormat => "postcode.format",
            Code::BirthDateEmpty => "birthDate.empty",
            Code::BirthDateFormat => "birthDate.format",
            Code::BirthDateImpossible => "birthDate.impossible",
            Code::BirthDateFuture => "birthDate.future",
            Code::BirthDateTooOld => "birthDate.tooOld",
            Code::BirthDateMinor => "birthDate.minor",
            Code::BirthDateMinorWarning => "birthDate.minorWarning",
        }
    }

    /// What the visitor reads, in `lang`; empty for [`Code::Ok`].
    pub fn message(self, lang: crate::lang::Lang) -> &'static str {
        super::messages::message(self, lang)
    }
}
