//! The GoVPSFX partner ("for brokers") API.
