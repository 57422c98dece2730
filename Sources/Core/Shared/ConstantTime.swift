/// Compares two secrets (tokens, signatures) in time that depends only on their length, so a
/// caller cannot learn from timing how much of a guess was right.
public func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
}
