import Foundation

/// A path on this site to send a browser back to after a form or a switch (`next=`, `back=`):
/// printable ASCII only (no space, tab, CR or LF — nothing that could split a header or that a
/// browser strips into `//host`), starting with one `/`, no backslash, no scheme, no host.
/// Anything else is refused, so the caller falls back to its default page.
public enum LocalPath {
    public static func safe(_ raw: String?, under prefix: String = "/") -> String? {
        guard let raw, raw.hasPrefix(prefix), raw.hasPrefix("/"), !raw.hasPrefix("//"),
              raw.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) && $0 != "\\" }),
              let c = URLComponents(string: raw), c.scheme == nil, c.host == nil, c.path.hasPrefix("/"), !c.path.hasPrefix("//") else {
            return nil
        }
        return raw
    }
}
