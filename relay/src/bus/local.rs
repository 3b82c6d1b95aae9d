//! The in-process bus: a single node, so publishing is handing the event to
//! this node's hub.

use std::sync::Arc;

use async_trait::async_trait;

use super::{Bus, BusError, Event};
use crate::hub::Hub;

/// Delivers straight to this node's hub.
#[derive(Debug, Clone)]
pub struct LocalBus {
    hub: Arc<Hub>,
}

impl LocalBus {
    pub fn new(hub: Arc<Hub>) -> Self {
        Self { hub }
    }
}

#[async_trait]
impl Bus for LocalBus {
    async fn publish(&self, event: &Event) -> Result<(), BusError> {
        self.hub.fan_out(Arc::new(event.clone()));
        Ok(())
    }
}
