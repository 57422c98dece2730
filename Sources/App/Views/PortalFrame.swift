import Core
import Vapor

/// The reader's display preference on the public portal (无障碍 / 长者模式), kept in a cookie so
/// it holds across pages, and set by a plain link, so it works without JavaScript.
enum ReaderMode {
    static let cookie = "fabu_mode"

    static func isElder(_ req: Request) -> Bool { req.cookies[cookie]?.string == "elder" }

    /// `GET /a11y?mode=elder|standard&back=/path`: remembers the choice for a year and goes back.
    static func set(_ req: Request) throws -> Response {
        let mode = req.query[String.self, at: "mode"] == "elder" ? "elder" : "standard"
        // Only a path on this site: never an absolute or protocol-relative URL, nor a header break.
        let res = req.redirect(to: LocalPath.safe(req.query[String.self, at: "back"]) ?? "/")
        res.cookies[cookie] = HTTPCookies.Value(string: mode, maxAge: 365 * 86_400, path: "/", isHTTPOnly: true, sameSite: .lax)
        return res
    }
}

/// A portal page's data with the frame every portal template needs: the reader mode and the
/// current path (for the toolbar's links back).
struct PortalPage<Page: Encodable>: Encodable {
    let page: Page
    let elder: Bool
    let here: String

    enum Key: String, CodingKey { case elder, here }

    func encode(to encoder: Encoder) throws {
        try page.encode(to: encoder)
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(elder, forKey: .elder)
        try c.encode(here, forKey: .here)
    }
}

extension Request {
    /// Renders a portal template with the reader frame merged into its data.
    func renderPortal<P: Encodable>(_ template: String, _ page: P) async throws -> View {
        // The path and query, encoded to sit in the toolbar's `back=` parameter.
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#?")
        let here = (url.path + (url.query.map { "?" + $0 } ?? "")).addingPercentEncoding(withAllowedCharacters: allowed) ?? "/"
        return try await view.render(template, PortalPage(page: page, elder: ReaderMode.isElder(self), here: here))
    }
}

extension Request {
    /// The sender's address, for rate limits: the peer, or — behind a load balancer that is
    /// trusted (`FABU_TRUST_FORWARDED_FOR`) — the last address it appended to X-Forwarded-For.
    var senderAddress: String {
        if application.settings.trustForwardedFor,
           let last = headers[.xForwardedFor].last?.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty {
            return last
        }
        return remoteAddress?.ipAddress ?? "unknown"
    }
}
