//! A faithful local emulator of both upstream APIs.
