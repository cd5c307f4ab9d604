//! The `vpsgate` command line.

fn main() {
    eprintln!("vpsgate: not implemented yet");
    std::process::exit(2);
}
