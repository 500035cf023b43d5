//! The second click of a double click never takes a second step.
//!
//! After a step takes effect the page's buttons change: the next step's button
//! (Hoàn thành after Bắt đầu xử lý, Cấp số after Ký, Lập hồ sơ after Phát hành)
//! can appear exactly under the pointer. A user who double-clicks out of habit
//! (as many do on every button) would take two steps. Operating systems treat two
//! clicks within about half a second as one double click (Windows' default
//! double-click time is 500 ms), so a step button pressed less than
//! [`QUIET`] after the previous step took effect is ignored: the user meant the
//! first click only. A deliberate second step, read on the new page, comes later.

use std::time::{Duration, Instant};

/// How long after a step the page's step buttons ignore clicks.
pub const QUIET: Duration = Duration::from_millis(500);

/// When the last step took effect.
#[derive(Debug, Clone, Default)]
pub struct StepGuard {
    last: Option<Instant>,
}

impl StepGuard {
    /// A step just took effect (or a dialog taking it just closed).
    pub fn stepped(&mut self) {
        self.last = Some(Instant::now());
    }

    /// Whether a step button pressed now is a new step, not the rest of the
    /// previous click.
    pub fn allows(&self) -> bool {
        self.last.is_none_or(|at| at.elapsed() >= QUIET)
    }

    /// Moves the last step `by` into the past (tests: the user waited).
    #[cfg(test)]
    pub fn wait(&mut self, by: Duration) {
        self.last = self.last.and_then(|at| at.checked_sub(by));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_click_right_after_a_step_is_ignored_and_a_later_one_is_not() {
        let mut guard = StepGuard::default();
        assert!(guard.allows(), "no step yet");
        guard.stepped();
        assert!(!guard.allows(), "the second click of a double click");
        guard.wait(QUIET);
        assert!(guard.allows(), "half a second later it is a new step");
    }
}
