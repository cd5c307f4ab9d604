//! The gateway's error texts in the answer language the configuration picks.
//!
//! English is the document's own wording (`GatewayCode::description`). The Russian texts are
//! this sandbox's translation of the document's table, in the register of the Russian
//! messages a real RootPanel gateway sends; they are not captured from a real server.

use serde::{Deserialize, Serialize};

/// The language of `errorMsg` texts (and of the `remark` of an unpaid order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// The document's English wording (the default).
    #[default]
    En,
    /// Russian, as the gateway's Russian-language deployments answer.
    Ru,
}

/// The Russian text of a code the document lists; `None` for any other.
fn russian(code: i64) -> Option<&'static str> {
    Some(match code {
        1 => "Ошибка подключения к базе данных",
        2 => "Ошибка сохранения данных в базе данных",
        3 => "Не указан логин пользователя",
        4 => "Пользователь не найден",
        5 => "Доступ к API запрещён",
        6 => "Не указан пароль или API-ключ",
        7 => "Указан неверный пароль или API-ключ",
        8 => "Неизвестная команда",
        9 => "Запрещено использовать пароль и API-ключ в одном запросе",
        10 => "Тарифные планы отсутствуют",
        11 => "Не указан идентификатор тарифного плана",
        12 => "Тарифный план не найден",
        13 => "Не указано доменное имя",
        14 => "Тарифный план для указанного доменного имени уже заказан",
        15 => "Не указан период заказа",
        16 => "Указан недопустимый период заказа",
        17 => "Указана недопустимая дополнительная услуга",
        18 => "Не указан идентификатор заказа",
        19 => "Заказ не найден",
        20 => "По данному заказу есть неоплаченные счета",
        21 => "Заказ уже приостановлен",
        22 => "Заказ уже запущен",
        23 => "Срок действия заказа истёк",
        24 => "Недопустимый тип тарифного плана",
        25 => "Операция не поддерживается для данного типа заказов",
        26 => "Заказы отсутствуют",
        27 => "Тарифный план может быть заказан одним клиентом только один раз",
        28 => "Указано недопустимое количество дополнительной услуги",
        29 => "Необходимо заказать дополнительную услугу из группы",
        30 => "Заказ размещён, но по техническим причинам будет обработан вручную.",
        31 => "Заказ размещён, но будет обработан после оплаты.",
        54 => "Доступ запрещён. IP-адрес отсутствует в списке разрешённых",
        _ => return None,
    })
}

impl Language {
    /// The text for `code`, whose English wording is `english`.
    pub(crate) fn text(self, code: i64, english: &'static str) -> &'static str {
        match self {
            Language::En => english,
            Language::Ru => russian(code).unwrap_or(english),
        }
    }

    /// The `remark` of an order placed without enough balance.
    pub(crate) fn insufficient_balance(self, needed: &str) -> String {
        match self {
            Language::En => format!("Insufficient balance: {needed} needed"),
            Language::Ru => format!("Недостаточно средств на балансе: требуется {needed}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vpsgate::friendhosting::{GatewayCode, WarningCode};

    #[test]
    fn every_documented_code_has_a_russian_text() {
        let codes: Vec<i64> = (1..=29).chain([54]).collect();
        for n in codes {
            let code = GatewayCode::from_number(n);
            assert!(!matches!(code, GatewayCode::Unknown(_)), "{n}");
            let ru = Language::Ru.text(n, code.description());
            assert_ne!(ru, code.description(), "{n}");
            assert!(ru.chars().any(|c| ('а'..='я').contains(&c)), "{n}: {ru}");
            assert_eq!(Language::En.text(n, code.description()), code.description());
        }
        for w in [WarningCode::ManualProcessing, WarningCode::AwaitingPayment] {
            assert!(Language::Ru
                .text(w.number(), w.description())
                .starts_with("Заказ размещён"));
        }
        assert_eq!(
            Language::Ru.text(77, "Unknown error code"),
            "Unknown error code"
        );
    }
}
