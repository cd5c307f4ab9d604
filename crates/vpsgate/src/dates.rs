//! Calendar dates as the upstreams write them, `YYYY-MM-DD` and `DD.MM.YYYY`: ten bytes, two
//! fixed layouts, read here rather than by `time`'s format-description parser, which took about
//! 10 KB of the npm package's gzipped `.wasm` for them. `time` still checks the calendar.

use std::fmt;

use time::{Date, Month};

/// The order of a date's parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// `YYYY-MM-DD` (Friendhosting).
    YearFirst,
    /// `DD.MM.YYYY` (GoVPSFX, and Friendhosting at times).
    DayFirst,
}

/// Why a text is not a date.
#[derive(Debug)]
pub(crate) enum DateError {
    /// Not ten bytes of digits and separators in the layout.
    Shape(Layout),
    /// The right shape, but no such day (`31.02.2026`, month 13, `0000-00-00`).
    Calendar(time::error::ComponentRange),
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Shape(Layout::YearFirst) => f.write_str("not in the form YYYY-MM-DD"),
            DateError::Shape(Layout::DayFirst) => f.write_str("not in the form DD.MM.YYYY"),
            DateError::Calendar(e) => write!(f, "no such day: {e}"),
        }
    }
}

impl std::error::Error for DateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DateError::Shape(_) => None,
            DateError::Calendar(e) => Some(e),
        }
    }
}

/// `s`, exactly, as a date in `layout`.
pub(crate) fn read(s: &str, layout: Layout) -> Result<Date, DateError> {
    let b = s.as_bytes();
    // The separator, where it stands, and where the year, month and day are.
    let (sep, seps, year, month, day) = match layout {
        Layout::YearFirst => (b'-', [4, 7], 0..4, 5..7, 8..10),
        Layout::DayFirst => (b'.', [2, 5], 6..10, 3..5, 0..2),
    };
    let num = |r: std::ops::Range<usize>| -> Option<u16> {
        let part = b.get(r)?;
        part.iter().try_fold(0u16, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u16::from(c - b'0'))
        })
    };
    let shape = || DateError::Shape(layout);
    if b.len() != 10 || seps.iter().any(|&i| b[i] != sep) {
        return Err(shape());
    }
    let (Some(y), Some(m), Some(d)) = (num(year), num(month), num(day)) else {
        return Err(shape());
    };
    // Two digits are at most 99: the casts cannot cut; `time` refuses what is out of range.
    let month = Month::try_from(m as u8).map_err(DateError::Calendar)?;
    Date::from_calendar_date(i32::from(y), month, d as u8).map_err(DateError::Calendar)
}

/// `date` in `layout`, as [`read`] reads it back for the years 0 to 9999 (others get a sign or
/// more digits, as `time`'s own `[year]` writes them).
pub(crate) fn write(date: Date, layout: Layout) -> String {
    let (y, m, d) = (date.year(), u8::from(date.month()), date.day());
    let sign = if y < 0 { "-" } else { "" };
    let y = y.unsigned_abs();
    match layout {
        Layout::YearFirst => format!("{sign}{y:04}-{m:02}-{d:02}"),
        Layout::DayFirst => format!("{d:02}.{m:02}.{sign}{y:04}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn both_layouts_and_what_they_refuse() {
        assert_eq!(
            read("2026-03-31", Layout::YearFirst).unwrap(),
            date!(2026 - 03 - 31)
        );
        assert_eq!(
            read("31.03.2026", Layout::DayFirst).unwrap(),
            date!(2026 - 03 - 31)
        );
        assert_eq!(
            read("29.02.2024", Layout::DayFirst).unwrap(),
            date!(2024 - 02 - 29)
        );
        for (s, layout) in [
            ("2026-3-31", Layout::YearFirst),
            ("31.03.2026", Layout::YearFirst),
            ("2026-03-31", Layout::DayFirst),
            ("31.03.20x6", Layout::DayFirst),
            ("+1.03.2026", Layout::DayFirst),
            ("31.03.2026 ", Layout::DayFirst),
            ("31-03-2026", Layout::DayFirst),
            ("", Layout::DayFirst),
        ] {
            let e = read(s, layout).unwrap_err();
            assert!(
                matches!(e, DateError::Shape(l) if l == layout),
                "{s:?}: {e}"
            );
        }
        for s in [
            "29.02.2026",
            "32.01.2026",
            "01.13.2026",
            "00.01.2026",
            "01.00.2026",
        ] {
            let e = read(s, Layout::DayFirst).unwrap_err();
            assert!(matches!(e, DateError::Calendar(_)), "{s:?}: {e}");
            assert!(e.to_string().starts_with("no such day: "), "{e}");
        }
        assert!(matches!(
            read("0000-00-00", Layout::YearFirst),
            Err(DateError::Calendar(_))
        ));
    }

    #[test]
    fn written_as_read() {
        for d in [
            date!(2026 - 03 - 01),
            date!(0001 - 12 - 31),
            date!(9999 - 01 - 09),
        ] {
            for layout in [Layout::YearFirst, Layout::DayFirst] {
                assert_eq!(read(&write(d, layout), layout).unwrap(), d);
            }
        }
        assert_eq!(
            write(date!(2026 - 03 - 01), Layout::YearFirst),
            "2026-03-01"
        );
        assert_eq!(write(date!(2026 - 03 - 01), Layout::DayFirst), "01.03.2026");
    }
}
