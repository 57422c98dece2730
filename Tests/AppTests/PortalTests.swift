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

            // Search for each marker, and every feed.
            for marker in ["标记AAA", "标记", "内部意见", "审定意见", "保密员GGG", "保密意见", "待保密审查", "重大项目建设"] {
                let res = try await app.sendRequest(.GET, "/search?q=\(marker.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)")
                XCTAssertEqual(res.status, .ok, marker)
                // (The page repeats the query itself, so only its results are checked.)
                XCTAssertFalse(res.body.string.contains("/releases/"), "search for \(marker) found something unpublished")
            }
            let feeds = ["/j/wulong/feed.rss", "/j/wulong/feed.atom", "/sitemap.xml"]
                + PortalColumn.allCases.flatMap { ["/j/wulong/\($0.rawValue)/feed.rss", "/j/wulong/\($0.rawValue)/feed.atom"] }
            for feed in feeds {
                let res = try await app.sendRequest(.GET, feed)
                XCTAssertEqual(res.status, .ok, feed)
                pages[feed] = res.body.string
            }

            // check
            XCTAssertTrue(pages.keys.contains("/j/wulong"))
            XCTAssertTrue(pages.keys.contains("/j/wulong/records"), "the column links its 发布实录")
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

    /// An open incident's latest release is pinned on top of its jurisdiction's column, and only
    /// there; closing the incident takes it down.
    func testEmergencyReleasesArePinnedWhileTheIncidentIsOpen() async throws {
        try await withApp { app, clock in
            let news = try await app.bearer("wulong-news")
            let agency = try await app.agency("wulong", "区应急管理局")
            let created = try await app.api(.POST, "/api/v1/incidents", as: news, json: """
            {"agencyId": "\(agency.id!)", "title": "白马镇道路塌方", "type": "accident", "level": "general",
             "occurredAt": "2026-11-21 06:00", "place": "白马镇G65沿线", "scene": "约200立方米土石滑落", "measures": "已封闭道路",
             "dead": 0, "injured": 1}
            """)
            XCTAssertEqual(created.status, .created, created.body.string)
            let id = try created.content.decode(IncidentDTO.self).id
            var pinned = try await app.sendRequest(.GET, "/j/wulong").body.string
            XCTAssertFalse(pinned.contains("突发事件权威发布"), "nothing is pinned before a release")
            let first = try await app.api(.POST, "/api/v1/incidents/\(id)/releases", as: news, json: #"{"kind":"first","summary":"首发通报XYZ"}"#)
            XCTAssertEqual(first.status, .ok, first.body.string)
            clock.advance(600)
            _ = try await app.api(.POST, "/api/v1/incidents/\(id)/releases", as: news, json: #"{"kind":"followUp","summary":"续报进展UVW"}"#)
            pinned = try await app.sendRequest(.GET, "/j/wulong").body.string
            XCTAssertTrue(pinned.contains("突发事件权威发布"))
            XCTAssertTrue(pinned.contains("续报进展UVW"), "the latest release")
            XCTAssertFalse(pinned.contains("首发通报XYZ"), "only the latest")
            let other = try await app.sendRequest(.GET, "/j/huludao").body.string
            XCTAssertFalse(other.contains("续报进展UVW"))
            let closed = try await app.api(.POST, "/api/v1/incidents/\(id)/close", as: news, json: #"{"reason":"道路已抢通"}"#)
            XCTAssertEqual(closed.status, .ok, closed.body.string)
            let after = try await app.sendRequest(.GET, "/j/wulong").body.string
            XCTAssertFalse(after.contains("续报进展UVW"), "taken down when the incident closes")
        }
    }

    /// The index is rebuilt at start when its version is not the code's; a row that cannot be
    /// read is a server fault (500), never blamed on the reader.
    func testTheIndexIsRebuiltWhenItsVersionChanges() async throws {
        try await withApp { app, _ in
            let public_ = try await PortalEntryModel.query(on: app.db).count()
            XCTAssertGreaterThan(public_, 0, "the seeded release is indexed as it is released")
            let first = try await PortalIndex.ensureCurrent(on: app.db)
            XCTAssertTrue(first, "no version stored yet")
            let second = try await PortalIndex.ensureCurrent(on: app.db)
            XCTAssertFalse(second)
            try await expectCount(PortalEntryModel.query(on: app.db), public_)

            let found = try await PortalEntryModel.query(on: app.db).first()
            let row = try XCTUnwrap(found)
            row.record = #"{"id":"x"}"#
            try await row.update(on: app.db)
            try await expectStatus(try await app.sendRequest(.GET, "/releases/\(row.activityID)"), .internalServerError)
            try await AppStateModel.set("portal-index-version", "0", on: app.db)
            let rebuilt = try await PortalIndex.ensureCurrent(on: app.db)
            XCTAssertTrue(rebuilt)
            try await expectStatus(try await app.sendRequest(.GET, "/releases/\(row.activityID)"), .ok)
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
            // A header break or a character a browser strips (leaving //host) is never echoed back.
            for back in ["/%0d%0aSet-Cookie:%20fabu_session=x", "/%09/evil.example", "/%0D/evil.example"] {
                let res = try await app.sendRequest(.GET, "/a11y?mode=elder&back=\(back)")
                XCTAssertEqual(res.headers.first(name: .location), "/", back)
                XCTAssertFalse(res.headers.setCookie?.all.keys.contains("fabu_session") ?? false, back)
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

/// The columns page through their records; search finds published releases by any word of two
/// characters or more, and nothing else.
final class PortalSearchTests: XCTestCase {
    /// Creates and releases a written release of 区发展和改革委员会 (the light path).
    func release(_ app: Application, title: String, category: String = "other", summary: String = "",
                 expert: String? = nil, files: [(kind: String, name: String, isPublic: Bool)] = []) async throws -> UUID {
        let fgw = try await app.bearer("wulong-fgw")
        let head = try await app.bearer("wulong-fgw-head")
        let agency = try await app.agency("wulong", "区发展和改革委员会")
        let created = try await app.api(.POST, "/api/v1/activities", as: fgw, json: """
        {"agencyId": "\(agency.id!)", "title": "\(title)", "form": "writtenRelease", "category": "\(category)", "summary": "\(summary)"}
        """)
        XCTAssertEqual(created.status, .created, created.body.string)
        let id = try created.content.decode(ActivityDTO.self).id
        if let expert {
            let res = try await app.api(.PUT, "/api/v1/activities/\(id)/participants", as: fgw,
                                        json: #"{"participants":[{"role":"expert","name":"\#(expert)","title":"教授"}]}"#)
            XCTAssertEqual(res.status, .ok, res.body.string)
        }
        for f in files {
            let up = try await app.sendRequest(.POST, "/api/v1/activities/\(id)/documents?kind=\(f.kind)&filename=\(f.name)&public=\(f.isPublic)",
                                               headers: fgw, body: ByteBuffer(string: "政策原文"))
            XCTAssertEqual(up.status, .created, up.body.string)
        }
        _ = try await app.api(.POST, "/api/v1/activities/\(id)/submit", as: fgw, json: "{}")
        _ = try await app.api(.POST, "/api/v1/activities/\(id)/approval", as: head, json: #"{"decision":"approve","comment":"同意"}"#)
        _ = try await app.api(.POST, "/api/v1/activities/\(id)/assessments", as: fgw,
                              json: #"{"kind":"confidentiality","outcome":"passed","reviewer":"保密员","comment":"无涉密内容"}"#)
        let r = try await app.api(.POST, "/api/v1/activities/\(id)/release", as: fgw)
        XCTAssertEqual(r.status, .ok, r.body.string)
        return id
    }

    func ids(_ html: String) -> [String] {
        html.matches(of: /href="\/releases\/([0-9A-Fa-f-]{36})"/).map { String($0.1) }
    }

    /// The records a portal page links, in order, are `expected` (given as ids or strings).
    func expect(_ app: Application, _ path: String, _ expected: [Any], file: StaticString = #filePath, line: UInt = #line) async throws {
        let found = ids(try await get(app, path).body.string)
        XCTAssertEqual(found, expected.map { ($0 as? UUID)?.uuidString ?? "\($0)" }, path, file: file, line: line)
    }

    func expect(_ app: Application, _ path: String, count: Int, file: StaticString = #filePath, line: UInt = #line) async throws {
        let found = ids(try await get(app, path).body.string)
        XCTAssertEqual(found.count, count, path, file: file, line: line)
    }

    func expect(_ app: Application, _ path: String, status: HTTPStatus, file: StaticString = #filePath, line: UInt = #line) async throws {
        let res = try await get(app, path)
        XCTAssertEqual(res.status, status, path, file: file, line: line)
    }

    func get(_ app: Application, _ path: String) async throws -> XCTHTTPResponse {
        try await app.sendRequest(.GET, path.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)
    }

    func testColumnsPageThroughRecordsNewestFirst() async throws {
        try await withApp { app, clock in
            var made: [UUID] = []
            for i in 1...22 {
                made.append(try await release(app, title: "第\(i)号通告", category: i % 2 == 0 ? "policyInterpretation" : "other",
                                              expert: i == 7 ? "张专家" : nil))
                clock.advance(60)
            }
            // 22 made here and the seeded notice: 23 records, 20 on the first page.
            let first = try await get(app, "/j/wulong/records")
            XCTAssertEqual(first.status, .ok)
            let page1 = ids(first.body.string)
            XCTAssertEqual(page1.count, 20)
            XCTAssertEqual(page1.first, made.last!.uuidString, "newest first")
            XCTAssertTrue(first.body.string.contains(#"rel="next""#))
            let second = try await get(app, "/j/wulong/records?page=2")
            XCTAssertEqual(ids(second.body.string).count, 3)
            XCTAssertTrue(Set(page1).isDisjoint(with: ids(second.body.string)))
            XCTAssertTrue(second.body.string.contains("第 2 / 2 页"))

            let beyond = try await get(app, "/j/wulong/records?page=3")
            XCTAssertEqual(beyond.status, .notFound)
            let bad = try await get(app, "/j/wulong/records?page=abc")
            XCTAssertEqual(bad.status, .unprocessableEntity)
            XCTAssertTrue(bad.body.string.contains("页码"), bad.body.string)
            try await expect(app, "/j/wulong/nonsense", status: .notFound)
            try await expect(app, "/j/nowhere/records", status: .notFound)

            let policy = ids(try await get(app, "/j/wulong/policy").body.string)
            XCTAssertEqual(Set(policy), Set(made.enumerated().filter { ($0.offset + 1) % 2 == 0 }.map(\.element.uuidString)))
            try await expect(app, "/j/wulong/expert", [made[6].uuidString])
            // Other jurisdictions' columns do not show them.
            try await expect(app, "/j/huludao/records", [])

            let atom = try await get(app, "/j/wulong/policy/feed.atom")
            XCTAssertEqual(atom.status, .ok)
            XCTAssertTrue(atom.body.string.contains("第22号通告"))
            XCTAssertFalse(atom.body.string.contains("第21号通告"), "a record outside 政策解读 is not in its feed")
        }
    }

    /// SPEC R8.2 (004 §四): the policy and its interpretation are published together — shown apart
    /// on the record when marked public; a file not marked public is never shown or served.
    func testThePolicyAndItsInterpretationAreShownWithTheRecord() async throws {
        try await withApp { app, _ in
            let id = try await release(app, title: "医保新政解读", category: "policyInterpretation",
                                       files: [("policyDocument", "policy.txt", true), ("interpretation", "qa.txt", true),
                                               ("background", "internal.txt", false)])
            let page = try await get(app, "/releases/\(id)").body.string
            XCTAssertTrue(page.contains("相关政策与解读"))
            XCTAssertTrue(page.contains("policy.txt") && page.contains("qa.txt"))
            XCTAssertFalse(page.contains("internal.txt"), "a file not marked public")
            let link = try XCTUnwrap(page.firstMatch(of: /href="(\/releases\/[^"]+\/files\/[^"]+)">policy.txt/)?.1)
            let file = try await get(app, String(link))
            XCTAssertEqual(file.status, .ok)
            XCTAssertEqual(file.body.string, "政策原文")
        }
    }

    func testSearchFindsTwoCharacterWordsAndNothingUnpublished() async throws {
        try await withApp { app, _ in
            let heating = try await release(app, title: "关于今冬供暖保障工作的通告", summary: "全区集中供暖于11月15日开始。")
            let medical = try await release(app, title: "医保报销比例调整答问", category: "policyInterpretation",
                                            summary: "居民医保住院报销比例提高到70%。", expert: "李教授")
            // A draft whose words must never be found.
            let fgw = try await app.bearer("wulong-fgw")
            let agency = try await app.agency("wulong", "区发展和改革委员会")
            _ = try await app.api(.POST, "/api/v1/activities", as: fgw, json: """
            {"agencyId": "\(agency.id!)", "title": "供暖价格调整草稿", "form": "writtenRelease", "category": "other", "summary": "未公开的医保草稿"}
            """)

            // Two characters (below the trigram), three and more (the index), several words, a speaker.
            try await expect(app, "/search?q=供暖", [heating.uuidString])
            try await expect(app, "/search?q=医保", [medical.uuidString])
            try await expect(app, "/search?q=集中供暖", [heating.uuidString])
            try await expect(app, "/search?q=报销 住院", [medical.uuidString])
            try await expect(app, "/search?q=报销 供暖", [])
            try await expect(app, "/search?q=李教授", [medical.uuidString])
            try await expect(app, "/search?q=报名", count: 1)
            // LIKE's wildcards are plain characters.
            try await expect(app, "/search?q=70%", [medical.uuidString])
            try await expect(app, "/search?q=%%", [])
            try await expect(app, #"/search?q="供暖""#, [])
            // Scoped to a jurisdiction.
            try await expect(app, "/search?q=供暖&j=wulong", [heating.uuidString])
            try await expect(app, "/search?q=供暖&j=huludao", [])
            try await expect(app, "/search?q=供暖&j=nowhere", status: .notFound)

            // A one-character word is answered on the page, with the rule; an empty query shows the form.
            let short = try await get(app, "/search?q=暖")
            XCTAssertEqual(short.status, .ok)
            XCTAssertTrue(short.body.string.contains("每个词至少2个字"), short.body.string)
            try await expect(app, "/search", status: .ok)
            let none = try await get(app, "/search?q=<script>alert(1)</script>")
            XCTAssertEqual(none.status, .ok)
            XCTAssertFalse(none.body.string.contains("<script>alert(1)"))
            XCTAssertTrue(none.body.string.contains("没有找到"))
            // A NUL or other control character is refused on the page, never a 500.
            for raw in ["/search?q=%00abc", "/search?q=ab%00", "/search?q=abc%00def"] {
                let res = try await app.sendRequest(.GET, raw)
                XCTAssertEqual(res.status, .ok, raw)
                XCTAssertTrue(res.body.string.contains("控制字符"), raw)
            }
        }
    }
}
