import Core
import Crypto
import Fluent
import Vapor

/// RSS 2.0, Atom 1.0 and the sitemap of the public portal, built from `PortalService` only.
enum PortalFeeds {
    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            // XML 1.0 forbids most control characters, even escaped.
            case _ where ch.value < 0x20 && ch != "\n" && ch != "\t" && ch != "\r": continue
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// RFC 822 dates for RSS, in Beijing time.
    static func rfc822(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = .shanghai
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return f.string(from: d)
    }

    static func rfc3339(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = .shanghai
        return f.string(from: d)
    }

    struct Entry {
        var id: UUID
        var title: String
        var summary: String
        var date: Date
    }

    /// What a feed is about: its title, the page it mirrors, and its own path without extension.
    struct Channel {
        var title: String
        var description: String
        var author: String
        var page: String
        var feed: String
    }

    /// The latest public entries matching `filter`, newest first.
    static func entries(_ db: Database, _ filter: PortalIndex.Filter, limit: Int = 50) async throws -> [Entry] {
        try await PortalIndex.page(filter, page: 1, per: limit, counting: false, on: db).rows.map { e in
            Entry(id: e.activity_id, title: (e.preview ? "【预告】" : "") + e.title, summary: e.summary, date: e.published_at)
        }
    }

    static func rss(base: String, _ c: Channel, entries: [Entry]) -> String {
        var x = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        x += #"<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>"#
        x += "<title>\(escape(c.title))</title><link>\(escape(base + c.page))</link>"
        x += "<description>\(escape(c.description))</description><language>zh-cn</language>"
        x += #"<atom:link href="\#(escape(base + c.feed)).rss" rel="self" type="application/rss+xml"/>"#
        if let last = entries.first { x += "<lastBuildDate>\(rfc822(last.date))</lastBuildDate>" }
        for e in entries {
            x += "<item><title>\(escape(e.title))</title><link>\(base)/releases/\(e.id)</link>"
            x += #"<guid isPermaLink="true">\#(base)/releases/\#(e.id)</guid>"#
            x += "<pubDate>\(rfc822(e.date))</pubDate><description>\(escape(e.summary))</description></item>"
        }
        return x + "</channel></rss>\n"
    }

    static func atom(base: String, _ c: Channel, entries: [Entry]) -> String {
        var x = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        x += #"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">"#
        x += "<id>\(escape(base + c.page))</id><title>\(escape(c.title))</title><subtitle>\(escape(c.description))</subtitle>"
        x += "<updated>\(rfc3339(entries.first?.date ?? Date(timeIntervalSince1970: 0)))</updated>"
        x += "<author><name>\(escape(c.author))</name></author>"
        x += #"<link rel="self" href="\#(escape(base + c.feed)).atom"/><link rel="alternate" href="\#(escape(base + c.page))"/>"#
        for e in entries {
            x += "<entry><id>\(base)/releases/\(e.id)</id><title>\(escape(e.title))</title><updated>\(rfc3339(e.date))</updated>"
            x += #"<link rel="alternate" href="\#(base)/releases/\#(e.id)"/><summary>\#(escape(e.summary))</summary></entry>"#
        }
        return x + "</feed>\n"
    }

    static func sitemap(base: String, paths: [String]) -> String {
        var x = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n" + #"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"#
        for p in paths { x += "<url><loc>\(escape(base + p))</loc></url>" }
        return x + "</urlset>\n"
    }
}

/// Public pages may be cached by a government CDN: a strong ETag from the body, `304` when it
/// matches, and a short `max-age`.
struct PortalCacheMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let res = try await next.respond(to: req)
        guard req.method == .GET, res.status == .ok, let body = res.body.buffer else { return res }
        let tag = "\"" + SHA256.hash(data: Array(body.readableBytesView)).prefix(16).map { String(format: "%02x", $0) }.joined() + "\""
        res.headers.replaceOrAdd(name: .eTag, value: tag)
        res.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=60")
        // The reader mode (a cookie) changes the page: caches must keep the variants apart.
        res.headers.replaceOrAdd(name: .vary, value: "Cookie")
        if req.headers.first(name: .ifNoneMatch).map({ $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.contains(tag) }) == true {
            let notModified = Response(status: .notModified)
            notModified.headers.replaceOrAdd(name: .eTag, value: tag)
            notModified.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=60")
            return notModified
        }
        return res
    }
}
