//! Whether anyone can answer a site's visitors now: inside its hours, and
//! some agent online with room. The widget learns it in `welcome` and
//! offers the offline-message form instead of a queue nobody serves.

use shared::routing::Availability;

use super::ConversationService;
use crate::opening_hours;
use crate::store::Site;

impl ConversationService {
    /// The site's availability at this moment (by the service's clock).
    pub async fn availability(&self, site: &Site) -> Availability {
        let now = self.clock.now_ms();
        let open = site
            .hours
            .as_ref()
            .is_none_or(|h| opening_hours::is_open(h, now));
        let opens_at_ms = match &site.hours {
            Some(h) if !open => opening_hours::next_opening_ms(h, now),
            _ => None,
        };
        let agents_available = match self.store.routing_snapshot().await {
            Ok(snapshot) => snapshot.agents.iter().any(|a| a.can_take()),
            // Unknown: do not turn visitors away to a form over a blip.
            Err(e) => {
                tracing::warn!(error = %e, "could not read agents for availability");
                true
            }
        };
        Availability {
            open,
            agents_available,
            opens_at_ms,
            offline_form: site.routing.offline_form && !(open && agents_available),
        }
    }
}
