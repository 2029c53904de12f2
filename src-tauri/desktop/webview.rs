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
    // JavaScriptCore, the web process's engine, reads JSC_* options from its
    // environment. Its mini mode grows the heap by a quarter rather than
    // doubling it before the next full collection, and without the DFG
    // optimizing tier there is no second compiled copy of hot code. On a
    // 1,000-component release they keep 25 to 35 MB less after a few edits,
    // for 10 to 15 ms more per edit (docs/desktop.md, "Speed"). An option the
    // user has set wins.
    #[cfg(target_os = "linux")]
    for (name, value) in JSC_OPTIONS {
        if std::env::var_os(name).is_none() {
            std::env::set_var(name, value);
        }
    }
}

/// The JavaScriptCore options the web process starts with (see `before_start`).
#[cfg(target_os = "linux")]
const JSC_OPTIONS: [(&str, &str); 2] =
    [("JSC_forceMiniVMMode", "true"), ("JSC_useDFGJIT", "false")];

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
