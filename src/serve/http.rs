//! The preview server: files of the built site only, the theme's 404 page
//! for the rest, live reload, and an overlay listing the errors of a broken
//! rebuild on every HTML page until it is fixed.

use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::services::{ServeDir, ServeFile};
use tower_livereload::{LiveReloadLayer, Reloader};

/// Errors of the last rebuild, shown in the browser while not empty.
pub type Errors = Arc<RwLock<Vec<String>>>;

#[derive(Clone)]
struct Shared {
    root: PathBuf,
    errors: Errors,
}

/// The router serving `root`, and the handle that reloads open pages.
pub fn router(root: &Path, errors: Errors) -> (Router, Reloader) {
    let livereload = LiveReloadLayer::new();
    let reloader = livereload.reloader();
    let files = ServeDir::new(root)
        .append_index_html_on_directories(true)
        .not_found_service(ServeFile::new(not_found_file(root)));
    let shared = Shared {
        root: root.to_path_buf(),
        errors,
    };
    let router = Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(shared.clone(), overlay))
        .layer(livereload)
        .layer(middleware::from_fn_with_state(shared, confine));
    (router, reloader)
}

/// Refuses any request whose path, once resolved on disk (symlinks
/// included), would lie outside the built site. Also turns caching off: a
/// preview must never show a stale page (nor a page without the error
/// overlay because the browser revalidated it as unchanged).
async fn confine(State(shared): State<Shared>, mut request: Request, next: Next) -> Response {
    request.headers_mut().remove(header::IF_MODIFIED_SINCE);
    request.headers_mut().remove(header::IF_NONE_MATCH);
    let path = crate::url::percent_decode(request.uri().path());
    let inside = Path::new(&path)
        .components()
        .all(|c| matches!(c, Component::RootDir | Component::Normal(_)));
    if !inside {
        return not_found(&shared.root).await;
    }
    let target = shared.root.join(path.trim_start_matches('/'));
    if let Ok(real) = target.canonicalize() {
        let root = shared
            .root
            .canonicalize()
            .unwrap_or_else(|_| shared.root.clone());
        if !real.starts_with(&root) {
            return not_found(&shared.root).await;
        }
    }
    let mut response = next.run(request).await;
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}

async fn not_found(root: &Path) -> Response {
    let body = tokio::fs::read(not_found_file(root))
        .await
        .unwrap_or_else(|_| b"not found".to_vec());
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// While the last rebuild failed, adds its errors to every HTML page.
async fn overlay(State(shared): State<Shared>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let errors = shared.errors.read().map(|e| e.clone()).unwrap_or_default();
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if errors.is_empty() || !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut html = String::from_utf8_lossy(&bytes).into_owned();
    let panel = panel(&errors);
    match html.rfind("</body>") {
        Some(i) => html.insert_str(i, &panel),
        None => html.push_str(&panel),
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(html))
}

fn panel(errors: &[String]) -> String {
    let mut items = String::new();
    for e in errors {
        let mut escaped = Vec::new();
        let _ = tera::escape_html(e, &mut escaped);
        items.push_str("<li>");
        items.push_str(&String::from_utf8_lossy(&escaped));
        items.push_str("</li>");
    }
    format!(
        "<div id=\"gazette-errors\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;\
         z-index:2147483647;background:#2b0b0b;color:#fff;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.5rem;\
         border-top:4px solid #e5484d\"><strong>The last edit broke the site; this is the last good build.</strong>\
         <ul style=\"margin:.5rem 0 0;padding-left:1.2rem\">{items}</ul></div>"
    )
}

/// The output file of the site's 404 page.
fn not_found_file(root: &Path) -> std::path::PathBuf {
    let file = crate::url::output_file(crate::url::NOT_FOUND).unwrap_or_default();
    root.join(file)
}
