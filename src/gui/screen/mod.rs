//! One module per screen, all shaped alike: `State`, `Message`, `update`, `view`.

pub mod admin;
pub mod archive;
pub mod audit;
pub mod dashboard;
pub mod document;
pub mod dossier;
pub mod editor;
pub mod first_run;
pub mod incoming;
pub mod incoming_card;
pub mod incoming_receive;
pub mod login;
pub mod queue;
pub mod registers;
pub mod search;
pub mod shell;
