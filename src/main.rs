use std::process::ExitCode;

fn main() -> ExitCode {
    // A bug must still end in one readable sentence, not a backtrace.
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".to_owned());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("briefpack: internal error{at}: {msg}. Please report it; your files were not changed.");
    }));
    briefpack::cli::main()
}
