//! Reusable pieces of the screens.

pub mod chart;
pub mod findings;
pub mod ime_guard;
pub mod preview;
pub mod table;
