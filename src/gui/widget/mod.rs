//! Reusable pieces of the screens.

pub mod chart;
pub mod choice;
pub mod findings;
pub mod ime_guard;
pub mod preview;
pub mod save_dialog;
pub mod slot;
pub mod step_guard;
pub mod table;
