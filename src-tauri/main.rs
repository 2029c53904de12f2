// No console window on Windows for the desktop app.
#![cfg_attr(
    all(not(debug_assertions), feature = "desktop"),
    windows_subsystem = "windows"
)]

fn main() {
    std::process::exit(flotilla::cli::main());
}
