mod measure;
fn main() {}
