//! The window's web view on Linux (WebKitGTK), tuned for one local page
//! rather than for browsing. Figures in docs/desktop.md ("Memory").

/// Before the window opens: Flotilla draws 2D SVG, which WebKitGTK paints
/// without GPU compositing at no visible cost, while compositing costs the
/// web process 80 MB more where OpenGL is software (Mesa llvmpipe) and is the
/// usual cause of blank windows on some GPU drivers. `FLOTILLA_GPU=1` keeps
/// compositing; a `WEBKIT_DISABLE_COMPOSITING_MODE` set by the user wins.
pub fn before_start() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("FLOTILLA_GPU").is_none_or(|v| v.is_empty() || v == "0")
        && std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none()
    {
        // Called from main's thread before any other thread is started.
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}

/// Once the window exists: the smallest of WebKit's cache models (the page
/// is local; there is nothing to cache for later visits).
pub fn tune(app: &tauri::App) {
    #[cfg(target_os = "linux")]
    {
        use tauri::Manager;
        let Some(window) = app.get_webview_window("main") else {
            return;
        };
        let _ = window.with_webview(|webview| {
            use webkit2gtk::{CacheModel, WebContextExt, WebViewExt};
            if let Some(context) = webview.inner().context() {
                context.set_cache_model(CacheModel::DocumentViewer);
            }
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}
