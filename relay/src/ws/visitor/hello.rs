//! A visitor arriving: hello (by token, or as a new visitor), identify
//! (the site's signed token), resuming conversations, and the grants this
//! connection keeps for the conversations the service let it touch.

use shared::{ConversationId, ErrorCode, ResumePoint, ServerFrame, SiteId, PROTOCOL_VERSION};

use super::VisitorSession;
use crate::conversations::visitors::VisitorWelcome;
use crate::conversations::{Grant, ServiceError, ServiceResult};
use crate::store::Conversation;
use crate::ws::delivery::resume_points;
use crate::ws::outbox::Outbox;

impl VisitorSession {
    pub(super) async fn hello(
        &mut self,
        protocol: u32,
        site: SiteId,
        token: Option<String>,
        resume: Vec<ResumePoint>,
        out: &mut Outbox,
    ) {
        if self.actor.is_some() {
            return out.error(
                ErrorCode::AlreadyGreeted,
                "hello was already sent on this connection",
            );
        }
        if protocol != PROTOCOL_VERSION {
            return out.error(
                ErrorCode::UnsupportedProtocol,
                format!("this relay speaks protocol {PROTOCOL_VERSION}"),
            );
        }
        if site != self.site.id {
            return out.error(
                ErrorCode::UnknownSite,
                "hello names another site than the connection URL",
            );
        }
        let resume = match resume_points(resume) {
            Ok(resume) => resume,
            Err(e) => return out.refuse(&e),
        };
        let app = std::sync::Arc::clone(&self.app);
        let welcome = match app
            .conversations
            .visitor_hello(self.site.clone(), token, Some(self.peer))
            .await
        {
            Ok(welcome) => welcome,
            Err(e) => return out.refuse(&e),
        };
        let conversations = self.welcome(welcome, out);
        self.resume_all(resume, &conversations, out).await;
        self.send_positions_from_store(out).await;
    }

    /// Adopts the visitor's conversations and says welcome.
    fn welcome(&mut self, welcome: VisitorWelcome, out: &mut Outbox) -> Vec<Conversation> {
        for conversation in &welcome.conversations {
            if let Some(grant) = welcome.actor.grant(conversation) {
                self.adopt(conversation, grant);
            }
        }
        out.push(ServerFrame::Welcome {
            protocol: PROTOCOL_VERSION,
            visitor: welcome.actor.visitor.id.clone(),
            visitor_token: welcome.token,
            conversations: welcome
                .conversations
                .iter()
                .map(Conversation::summary)
                .collect(),
            prechat_form: self.site.prechat_form,
            topics: self.site.routing.choices(),
            availability: welcome.availability,
        });
        self.actor = Some(welcome.actor);
        welcome.conversations
    }

    /// Resumes what the client asked for, then catches up the rest of
    /// the open conversations (anything stored between reading the list
    /// and watching it).
    async fn resume_all(
        &mut self,
        resume: Vec<ResumePoint>,
        conversations: &[Conversation],
        out: &mut Outbox,
    ) {
        let resumed: Vec<ConversationId> = resume.iter().map(|p| p.conversation.clone()).collect();
        for point in resume {
            self.resume(point, out).await;
        }
        let app = std::sync::Arc::clone(&self.app);
        for conversation in conversations
            .iter()
            .filter(|c| c.is_open() && !resumed.contains(&c.id))
        {
            if let Err(e) = self
                .delivery
                .catch_up(&app.conversations, &conversation.id, out)
                .await
            {
                return out.refuse(&e);
            }
        }
    }

    /// Links the visitor to the contact the site's token names; answers
    /// with the conversations of the contact's other visitors.
    pub(super) async fn identify(&mut self, token: &str, out: &mut Outbox) -> ServiceResult<()> {
        let app = std::sync::Arc::clone(&self.app);
        let Some(actor) = self.actor.as_mut() else {
            return Ok(());
        };
        let identified = app.conversations.identify(actor, token).await?;
        let grants: Vec<(Grant, &Conversation)> = identified
            .conversations
            .iter()
            .filter_map(|c| actor.grant(c).map(|g| (g, c)))
            .collect();
        for (grant, conversation) in grants {
            self.adopt(conversation, grant);
        }
        out.push(ServerFrame::Identified {
            name: identified.name,
            conversations: identified
                .conversations
                .iter()
                .map(Conversation::summary)
                .collect(),
        });
        Ok(())
    }

    /// The grant to one of the visitor's conversations, asking the
    /// service if this connection has not seen it yet (e.g. started in
    /// another tab).
    pub(super) async fn own(&mut self, conversation: &ConversationId) -> ServiceResult<Grant> {
        if let Some(grant) = self.owned.get(conversation) {
            return Ok(grant.clone());
        }
        let actor = self
            .actor
            .as_ref()
            .ok_or(ServiceError::NotFound("no such conversation"))?;
        let (grant, found) = self
            .app
            .conversations
            .visitor_grant(actor, conversation)
            .await?;
        self.adopt(&found, grant.clone());
        Ok(grant)
    }

    /// Starts following one of the visitor's conversations from its
    /// current seq (the client resumes from wherever it is). Closed ones
    /// are followed too: an agent may reopen one, or its rating change.
    pub(super) fn adopt(&mut self, conversation: &Conversation, grant: Grant) {
        self.seen.saw(&conversation.id, conversation.version);
        self.owned.insert(conversation.id.clone(), grant);
        self.sub.watch_conversation(&conversation.id);
        if conversation.is_open() && self.online.insert(conversation.id.clone()) {
            self.app.visitors_online.add(&conversation.id);
        }
        if self.delivery.position(&conversation.id).is_none() {
            self.delivery
                .set_position(&conversation.id, conversation.last_seq);
        }
    }

    pub(super) async fn resume(&mut self, point: ResumePoint, out: &mut Outbox) {
        if let Err(e) = self.own(&point.conversation).await {
            return out.refuse(&e);
        }
        self.delivery
            .set_position(&point.conversation, point.after_seq);
        if let Err(e) = self
            .delivery
            .catch_up(&self.app.conversations, &point.conversation, out)
            .await
        {
            out.refuse(&e);
        }
    }
}
