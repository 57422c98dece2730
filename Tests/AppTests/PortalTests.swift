@testable import App
import Core
import Fluent
import Vapor
import XCTest
import XCTVapor
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The public portal shows only what is approved, reviewed and due (issue #6): unpublished
/// records, comments and review notes are created, then every portal page is crawled.
final class PortalTests: XCTestCase {
    func testNothingUnpublishedIsRenderedListedOrLinked() async throws {
        try await withApp { app, _ in
            // setup: records in every non-public state, each with a marker that must never appear.
            let fgw = try await app.bearer("wulong-fgw")
            let head = try await app.bearer("wulong-fgw-head")
            let agency = try await app.agency("wulong", "区发展和改革委员会")
            func create(_ title: String, form: String = "writtenRelease") async throws -> UUID {
                let res = try await app.api(.POST, "/api/v1/activities", as: fgw, json: """
                {"agencyId": "\(agency.id!)", "title": "\(title)", "form": "\(form)", "category": "other", "summary": "\(title)的内容"}
                """)
                XCTAssertEqual(res.status, .created, res.body.string)
                return try res.content.decode(ActivityDTO.self).id
            }
            let draft = try await create("草稿标记AAA")
            let returned = try await create("退回标记BBB")
            _ = try await app.api(.POST, "/api/v1/activities/\(returned)/submit", as: fgw, json: "{}")
            _ = try await app.api(.POST, "/api/v1/activities/\(returned)/approval", as: head, json: #"{"decision":"return","comment":"内部意见CCC"}"#)
            let approved = try await create("待保密审查DDD")
            _ = try await app.api(.POST, "/api/v1/activities/\(approved)/submit", as: fgw, json: "{}")
            _ = try await app.api(.POST, "/api/v1/activities/\(approved)/approval", as: head, json: #"{"decision":"approve","comment":"审定意见EEE"}"#)
            // Released, with a stored script payload in its title and an internal approval comment.
            let released = try await create("<script>alert(1)</script>公开发布")
            _ = try await app.api(.POST, "/api/v1/activities/\(released)/submit", as: fgw, json: "{}")
            _ = try await app.api(.POST, "/api/v1/activities/\(released)/approval", as: head, json: #"{"decision":"approve","comment":"审定意见FFF"}"#)
            _ = try await app.api(.POST, "/api/v1/activities/\(released)/assessments", as: fgw,
                                  json: #"{"kind":"confidentiality","outcome":"passed","reviewer":"保密员GGG","comment":"保密意见HHH"}"#)
            let r = try await app.api(.POST, "/api/v1/activities/\(released)/release", as: fgw)
            XCTAssertEqual(r.status, .ok, r.body.string)

            // act: crawl the portal from its home page.
            var queue = ["/"], seen: Set<String> = [], pages: [String: String] = [:]
            while let path = queue.popLast() {
                guard seen.insert(path).inserted else { continue }
                let res = try await app.sendRequest(.GET, path)
                XCTAssertEqual(res.status, .ok, path)
                let html = res.body.string
                pages[path] = html
                for match in html.matches(of: /href="(\/(?:j|releases|roster)\/[^"#?]*)"/) { queue.append(String(match.1)) }
            }

            for feed in ["/j/wulong/feed.rss", "/j/wulong/feed.atom", "/sitemap.xml"] {
                let res = try await app.sendRequest(.GET, feed)
                XCTAssertEqual(res.status, .ok, feed)
                pages[feed] = res.body.string
            }

            // check
            XCTAssertTrue(pages.keys.contains("/j/wulong"))
            XCTAssertTrue(pages.keys.contains("/releases/\(released)"), "the released record is listed and linked")
            let all = pages.values.joined()
            for marker in ["草稿标记AAA", "退回标记BBB", "内部意见CCC", "待保密审查DDD", "审定意见EEE", "审定意见FFF", "保密员GGG", "保密意见HHH",
                           "武隆区2027年重大项目建设情况新闻发布会", "葫芦岛市今冬明春能源保供工作新闻发布会"] {
                XCTAssertFalse(all.contains(marker), "\(marker) leaked onto the portal")
            }
            XCTAssertFalse(all.contains("<script>alert(1)</script>"), "stored payload rendered live")
            XCTAssertTrue(all.contains("&lt;script&gt;alert(1)&lt;/script&gt;公开发布"))
            XCTAssertTrue(all.contains("关于2027年春季学期中小学报名工作的通告"), "the seeded released notice is public")
            for id in [draft, returned, approved] {
                let res = try await app.sendRequest(.GET, "/releases/\(id)")
                XCTAssertEqual(res.status, .notFound)
            }
        }
    }

    /// The feeds are well-formed XML with the elements their specs require; pages carry an ETag
    /// and answer 304 when it matches.
    func testFeedsAreWellFormedAndPagesAreCacheable() async throws {
        try await withApp { app, _ in
            final class Elements: NSObject, XMLParserDelegate {
                var names: [String] = []
                func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                            attributes: [String: String] = [:]) { names.append(name) }
            }
            for (path, required) in [("/j/wulong/feed.rss", ["rss", "channel", "title", "link", "description", "item", "guid", "pubDate"]),
                                     ("/j/wulong/feed.atom", ["feed", "id", "title", "updated", "entry", "link"]),
                                     ("/sitemap.xml", ["urlset", "url", "loc"])] {
                let res = try await app.sendRequest(.GET, path)
                XCTAssertEqual(res.status, .ok, path)
                let parser = XMLParser(data: Data(res.body.string.utf8))
                let seen = Elements()
                parser.delegate = seen
                XCTAssertTrue(parser.parse(), "\(path): \(parser.parserError.map { "\($0)" } ?? "")")
                XCTAssertTrue(Set(required).isSubset(of: Set(seen.names)), "\(path): missing \(Set(required).subtracting(seen.names))")
            }
            let rss = try await app.sendRequest(.GET, "/j/wulong/feed.rss")
            XCTAssertTrue(rss.body.string.contains("关于2027年春季学期中小学报名工作的通告"))
            XCTAssertTrue(rss.body.string.contains("<link>http://127.0.0.1:8080/releases/"))
            let first = try await app.sendRequest(.GET, "/j/wulong")
            let tag = try XCTUnwrap(first.headers.first(name: .eTag))
            let again = try await app.sendRequest(.GET, "/j/wulong", headers: ["If-None-Match": tag])
            XCTAssertEqual(again.status, .notModified)
            XCTAssertEqual(first.headers.first(name: .cacheControl), "public, max-age=60")
            XCTAssertNotNil(first.headers.first(name: "Content-Security-Policy"))
        }
    }

    /// 长者模式: switched by a plain link, kept across pages, off again; never an open redirect.
    func testElderlyModePersistsAcrossPages() async throws {
        try await withApp { app, _ in
            let on = try await app.sendRequest(.GET, "/a11y?mode=elder&back=/j/wulong")
            XCTAssertEqual(on.status, .seeOther)
            XCTAssertEqual(on.headers.first(name: .location), "/j/wulong")
            let cookie = try XCTUnwrap(on.headers.setCookie?["fabu_mode"]?.string)
            XCTAssertEqual(cookie, "elder")
            for path in ["/", "/j/wulong", "/j/huludao"] {
                let page = try await app.sendRequest(.GET, path, headers: ["Cookie": "fabu_mode=elder"])
                XCTAssertTrue(page.body.string.contains(#"<body class="public elder">"#), path)
                XCTAssertTrue(page.body.string.contains("退出长者模式"), path)
                XCTAssertEqual(page.headers.first(name: .vary), "Cookie")
            }
            let plain = try await app.sendRequest(.GET, "/j/wulong")
            XCTAssertTrue(plain.body.string.contains(#"<body class="public">"#))
            XCTAssertTrue(plain.body.string.contains(#"href="/a11y?mode=elder&amp;back=/j/wulong""#) || plain.body.string.contains(#"href="/a11y?mode=elder&back=/j/wulong""#))
            for evil in ["//evil.example/x", "https://evil.example/", "/\\evil"] {
                let res = try await app.sendRequest(.GET, "/a11y?mode=elder&back=\(evil.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
                XCTAssertEqual(res.headers.first(name: .location), "/", evil)
            }
        }
    }

    func testAPreviewShowsTimePlaceAndLiveLinkButNoTranscript() async throws {
        try await withApp { app, clock in
            // setup: the seeded Huludao conference, completed and scheduled with a preview.
            let fgw = try await app.bearer("huludao-fgw")
            let list = try await app.api(.GET, "/api/v1/activities?stage=preparing", as: fgw).content.decode([ActivitySummaryDTO].self)
            let id = try XCTUnwrap(list.first?.id)
            var h = fgw
            h.contentType = .binary
            for kind in ["qaBrief", "background", "venuePlan"] {
                _ = try await app.sendRequest(.POST, "/api/v1/activities/\(id)/documents?kind=\(kind)&filename=\(kind).txt", headers: h, body: ByteBuffer(string: "材料"))
            }
            let dong = try await PersonModel.query(on: app.db).filter(\.$name == "薛涛").first()!
            _ = try await app.api(.PUT, "/api/v1/activities/\(id)/participants", as: fgw,
                                  json: #"{"participants":[{"role":"host","personId":"\#(dong.id!)"},{"role":"mainSpeaker","personId":"\#(dong.id!)"}]}"#)
            _ = try await app.api(.PUT, "/api/v1/activities/\(id)/programme", as: fgw, json: #"{"segments":[{"kind":"statement","minutes":20},{"kind":"qa","minutes":20}]}"#)
            _ = try await app.api(.POST, "/api/v1/activities/\(id)/assessments", as: fgw, json: #"{"kind":"confidentiality","outcome":"passed","reviewer":"范琳"}"#)
            let scheduled = try await app.api(.POST, "/api/v1/activities/\(id)/schedule", as: fgw)
            XCTAssertEqual(scheduled.status, .ok, scheduled.body.string)
            // Scheduled but not previewed: still not public.
            try await expectStatus(try await app.sendRequest(.GET, "/releases/\(id)"), .notFound)
            _ = try await app.api(.POST, "/api/v1/activities/\(id)/preview", as: fgw, json: #"{"liveUrl":"https://live.hld.gov.cn/1"}"#)
            // act
            let page = try await app.sendRequest(.GET, "/releases/\(id)")
            // check
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.body.string.contains("发布预告"))
            XCTAssertTrue(page.body.string.contains("市政府新闻发布厅"))
            XCTAssertTrue(page.body.string.contains("https://live.hld.gov.cn/1"))
            let column = try await app.sendRequest(.GET, "/j/huludao")
            XCTAssertTrue(column.body.string.contains("/releases/\(id)"))
            _ = clock
        }
    }
}
