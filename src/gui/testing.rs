//! Test fixtures: the demo office in memory with a signed-in user.

use vanthu_core::model::OutgoingState;
use vanthu_core::{Actor, Store};

use crate::check::Setup;
use crate::gui::session::Ctx;

/// A demo database in memory and a signed-in user.
pub struct Fixture {
    /// The database.
    pub store: Store,
    /// The user.
    pub actor: Actor,
    /// Rules in force.
    pub setup: Setup,
}

impl Fixture {
    /// The demo office, signed in as `username`.
    pub fn demo(username: &str) -> Self {
        let mut store = Store::open_in_memory().unwrap();
        vanthu_core::demo::load_demo(&mut store, chrono::Local::now().date_naive()).unwrap();
        let actor = store.login(username, vanthu_core::demo::DEMO_PASSWORD).unwrap();
        let setup = Setup::from_store(&store).unwrap();
        Fixture { store, actor, setup }
    }

    /// Signs in as another user.
    pub fn login(&mut self, username: &str) {
        self.actor = self.store.login(username, vanthu_core::demo::DEMO_PASSWORD).unwrap();
    }

    /// The context screens work with.
    pub fn ctx(&mut self) -> Ctx<'_> {
        Ctx { store: &mut self.store, actor: &self.actor, setup: &self.setup }
    }

    /// The first document in `state`.
    pub fn document_in(&self, state: OutgoingState) -> i64 {
        // A document the signed-in user may see (agencies are apart).
        self.store.documents_for(&self.actor).unwrap().into_iter().find(|d| d.state == state.code()).unwrap().id
    }

    /// Every dossier of the demo file plans (2020–2030).
    pub fn dossiers(&self) -> Vec<vanthu_core::model::Dossier> {
        (2020..=2030)
            .flat_map(|year| self.store.file_plan(year, None).unwrap())
            .flat_map(|heading| heading.dossiers)
            .collect()
    }
}
