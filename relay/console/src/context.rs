//! The values components find in Leptos context, each in its own newtype so
//! a lookup can never pick up an unrelated signal of the same type.

use leptos::prelude::{expect_context, GetValue, LocalStorage, ReadSignal, StoredValue};

use crate::controller::Controller;
use crate::model::Model;

/// The console's state, read-only: components change it only through
/// [`Ctl`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct State(pub(crate) ReadSignal<Model>);

/// The controller. It holds browser objects (not `Send`), so it is kept in
/// Leptos' thread-local storage and this handle is `Copy`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctl(pub(crate) StoredValue<Controller, LocalStorage>);

impl Ctl {
    /// A handle to the controller (clone it out; never hold the store).
    pub(crate) fn get(self) -> Controller {
        self.0.get_value()
    }
}

pub(crate) fn state() -> State {
    expect_context::<State>()
}

pub(crate) fn ctl() -> Ctl {
    expect_context::<Ctl>()
}
