//! Archive packages (placeholder, filled in below).
