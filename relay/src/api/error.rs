//! The API's one error type: a refused domain step ([`ServiceError`],
//! whose status and stable code are mapped once, in the service layer) or
//! a request the API itself could not read. Bodies are
//! `{"error": {"code", "message"}}`; internals never leak.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::conversations::ServiceError;

/// Why an API request was refused. Nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("a valid API key for this site is required (Authorization: Bearer <key>)")]
    Unauthorized,
    #[error("the request body is larger than {} bytes", super::MAX_BODY_BYTES)]
    TooLarge,
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl ApiError {
    /// A request field the API refuses.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::Service(ServiceError::Invalid(message.into()))
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            Self::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            Self::Service(e) => e.http(),
        }
    }
}

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Self::TooLarge
        } else {
            Self::invalid(rejection.body_text())
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let mut response = (
            status,
            Json(json!({"error": {"code": code, "message": self.to_string()}})),
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}
