//! One module per screen, all shaped alike: `State`, `Message`, `update`, `view`.

pub mod first_run;
pub mod home;
pub mod login;
