//! Error pages: 404 for what is not there, 400 for a bad request, 503 for
//! what is not set up yet, 500 only for a failing store (logged), never a panic.

use crate::state::WebError;
use axum::response::{Html, IntoResponse, Response};
use maud::html;

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, title) = self.status();
        let body = super::layout::page(
            title,
            html! { h1 { (title) } p { (self.to_string()) } p { a href="/" { "Back to the episodes" } } },
        );
        (status, Html(body.into_string())).into_response()
    }
}

/// Any path no route knows.
pub async fn not_found() -> WebError {
    WebError::NotFound("There is no page at this address.".into())
}
